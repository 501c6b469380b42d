package org.alliancefhir.feedback;

import java.util.List;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Task.TaskPriority;

/**
 * One feedback rule: a {@code PlanDefinition.action} of an {@code eca-rule} PlanDefinition, parsed once.
 *
 * @param id the action id, unique across all rules
 * @param planDefinition the canonical {@code url|version} of the PlanDefinition, for provenance
 * @param kind comparison, alert or split
 * @param triggerCodes the score codes whose arrival evaluates the rule
 * @param baseline {@code previous} or {@code first}, for comparisons and alerts
 * @param condition when the rule applies; {@code null} means always
 * @param stop when a later session ends the open alert of the session before it (a {@code stop} condition);
 *     {@code null} means when the later session does not meet {@code condition}
 * @param interpretation for comparisons: the interpretation code expression, or {@code null}
 * @param output the code of the Observation a comparison or split produces, or {@code null}
 * @param alertCode the code of the Task and Flag an alert produces, or {@code null}
 * @param priority the priority of an alert's Task, from {@code action.priority} ({@code routine} when absent)
 * @param flag whether an alert also raises a Flag: urgent (or more pressing) rules do, unless {@code action.code}
 *     says {@code no-banner-flag}; other rules only with {@code banner-flag}
 * @param enabled whether the server evaluates the rule: {@code action.code} {@code disabled} turns it off by default
 * @param messageNl the Dutch message
 * @param messageEn the English message
 * @param note provenance of the rule's threshold
 * @param splitIndices the component codes of the indices a split rule computes, e.g. {@code split-range}
 * @param usesFirst whether the rule needs the first score of the series ({@code %first} or a first baseline)
 * @param usesSessionNumber whether the rule needs the score's position in its series ({@code %sessionNumber})
 */
public record FeedbackRule(
		String id,
		String planDefinition,
		Kind kind,
		List<Coding> triggerCodes,
		String baseline,
		ExpressionNode condition,
		ExpressionNode stop,
		ExpressionNode interpretation,
		Coding output,
		Coding alertCode,
		TaskPriority priority,
		boolean flag,
		boolean enabled,
		String messageNl,
		String messageEn,
		String note,
		List<String> splitIndices,
		boolean usesFirst,
		boolean usesSessionNumber) {

	/** What a rule produces. */
	public enum Kind {
		COMPARISON,
		ALERT,
		SPLIT
	}

	boolean comparesWithFirst() {
		return "first".equals(baseline);
	}
}
