package org.alliancefhir.feedback;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.alliancefhir.scoring.SdcExtensions;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DataRequirement;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.PlanDefinition.PlanDefinitionActionComponent;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.TriggerDefinition;

/**
 * Reads the feedback rules of an {@code eca-rule} PlanDefinition, one rule per action, from standard elements only:
 * {@code action.code} (kind, baseline, alert code, split indices, {@code disabled}, {@code banner-flag} or
 * {@code no-banner-flag}), {@code priority}, {@code trigger} (score codes), {@code condition} (FHIRPath: kind
 * {@code applicability}, and {@code stop} for when a later session ends an alert), {@code output} (the Observation
 * code produced) and a {@code dynamicValue} for {@code interpretation}; a rule that cannot be read is refused with the
 * PlanDefinition and action named.
 *
 * @see <a href="https://hl7.org/fhir/R4/plandefinition.html">PlanDefinition</a>
 */
public class FeedbackRuleReader {

	static final String ECA_RULE = "eca-rule";
	static final String DISABLED = "disabled";
	static final String BANNER_FLAG = "banner-flag";
	static final String NO_BANNER_FLAG = "no-banner-flag";
	private static final Set<PlanDefinition.RequestPriority> PRESSING = EnumSet.of(
			PlanDefinition.RequestPriority.URGENT,
			PlanDefinition.RequestPriority.ASAP,
			PlanDefinition.RequestPriority.STAT);

	private final FHIRPathEngine fhirPath;

	public FeedbackRuleReader(FHIRPathEngine fhirPath) {
		this.fhirPath = fhirPath;
	}

	/** Whether the PlanDefinition holds feedback rules. */
	public static boolean holdsRules(PlanDefinition plan) {
		return plan.getType().getCoding().stream().anyMatch(c -> ECA_RULE.equals(c.getCode()));
	}

	/**
	 * @throws IllegalArgumentException naming the PlanDefinition and action of a rule that cannot be read
	 */
	public List<FeedbackRule> read(PlanDefinition plan) {
		List<FeedbackRule> rules = new ArrayList<>();
		for (PlanDefinitionActionComponent action : plan.getAction()) {
			try {
				rules.add(read(plan.getUrl() + "|" + plan.getVersion(), action));
			} catch (RuntimeException e) {
				throw new IllegalArgumentException(
						"PlanDefinition " + plan.getUrl() + " action " + action.getId() + ": " + e.getMessage(), e);
			}
		}
		return rules;
	}

	private FeedbackRule read(String plan, PlanDefinitionActionComponent action) {
		if (!action.hasId()) {
			throw new IllegalArgumentException("the action has no id");
		}
		List<String> codes = action.getCode().stream()
				.flatMap(c -> c.getCoding().stream())
				.filter(c -> FeedbackIdentifiers.CODE_SYSTEM.equals(c.getSystem()))
				.map(Coding::getCode)
				.toList();
		FeedbackRule.Kind kind = codes.stream()
				.filter(c -> c.startsWith("rule-"))
				.map(c ->
						FeedbackRule.Kind.valueOf(c.substring("rule-".length()).toUpperCase(Locale.ROOT)))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException(
						"action.code names no rule kind (rule-comparison, " + "rule-alert or rule-split)"));
		List<String> indices =
				codes.stream().filter(c -> c.startsWith("split-")).toList();
		indices.stream()
				.filter(c -> !SplitIndices.KNOWN.contains(c))
				.findFirst()
				.ifPresent(c -> {
					throw new IllegalArgumentException("unknown split index " + c + "; known: " + SplitIndices.KNOWN);
				});
		return new FeedbackRule(
				action.getId(),
				plan,
				kind,
				triggerCodes(action),
				codes.contains("baseline-first") ? "first" : "previous",
				condition(action, PlanDefinition.ActionConditionKind.APPLICABILITY),
				condition(action, PlanDefinition.ActionConditionKind.STOP),
				action.getDynamicValue().stream()
						.filter(d -> "interpretation".equals(d.getPath()))
						.findFirst()
						.map(d -> parse(d.getExpression()))
						.orElse(null),
				action.hasOutput() ? firstCode(action.getOutputFirstRep()) : null,
				codes.stream()
						.filter(c -> c.startsWith("alert-"))
						.findFirst()
						.map(c -> new Coding(FeedbackIdentifiers.CODE_SYSTEM, c, null))
						.orElse(null),
				action.hasPriority()
						? Task.TaskPriority.fromCode(action.getPriority().toCode())
						: Task.TaskPriority.ROUTINE,
				codes.contains(BANNER_FLAG)
						|| (PRESSING.contains(action.getPriority()) && !codes.contains(NO_BANNER_FLAG)),
				!codes.contains(DISABLED),
				action.getTitle(),
				english(action.getTitleElement()),
				action.getDescription(),
				indices,
				codes.contains("baseline-first") || mentions(action, "%first"),
				mentions(action, "%sessionNumber"));
	}

	private ExpressionNode condition(PlanDefinitionActionComponent action, PlanDefinition.ActionConditionKind kind) {
		if (action.getCondition().stream().anyMatch(c -> c.getKind() == PlanDefinition.ActionConditionKind.START)) {
			throw new IllegalArgumentException("start conditions are not supported (applicability and stop are)");
		}
		return action.getCondition().stream()
				.filter(c -> c.getKind() == kind
						|| (c.getKind() == null && kind == PlanDefinition.ActionConditionKind.APPLICABILITY))
				.findFirst()
				.map(c -> parse(c.getExpression()))
				.orElse(null);
	}

	private static boolean mentions(PlanDefinitionActionComponent action, String variable) {
		return action.getCondition().stream()
						.anyMatch(c -> c.getExpression().getExpression().contains(variable))
				|| action.getDynamicValue().stream()
						.anyMatch(d -> d.getExpression().getExpression().contains(variable));
	}

	private ExpressionNode parse(Expression expression) {
		if (!"text/fhirpath".equals(expression.getLanguage())) {
			throw new IllegalArgumentException(
					"only text/fhirpath expressions are supported, not " + expression.getLanguage());
		}
		return fhirPath.parse(expression.getExpression());
	}

	private static List<Coding> triggerCodes(PlanDefinitionActionComponent action) {
		List<Coding> codes = new ArrayList<>();
		for (TriggerDefinition trigger : action.getTrigger()) {
			trigger.getData().forEach(data -> data.getCodeFilter().forEach(filter -> codes.addAll(filter.getCode())));
		}
		if (codes.isEmpty()) {
			throw new IllegalArgumentException("the rule names no trigger code");
		}
		return codes;
	}

	private static Coding firstCode(DataRequirement requirement) {
		return requirement.getCodeFilterFirstRep().getCodeFirstRep();
	}

	private static String english(StringType text) {
		for (Extension translation : text.getExtensionsByUrl(SdcExtensions.TRANSLATION)) {
			if ("en".equals(translation.getExtensionString("lang"))) {
				return translation.getExtensionString("content");
			}
		}
		return text.getValue();
	}
}
