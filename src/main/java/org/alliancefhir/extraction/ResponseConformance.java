package org.alliancefhir.extraction;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;

/**
 * Checks the items of a response against its Questionnaire with the rules of HAPI's {@code QuestionnaireValidator}
 * (core 6.7.9), with its locations and, extended by the item's linkId, its wording, in microseconds instead of the tens of milliseconds a full instance validation costs: every linkId
 * known and in its place, items in the Questionnaire's order, no repeats of non-repeating items or answers, groups
 * without answers, questions without direct child items, required items answered unless the response is in progress
 * or stopped, matching item text, and each answer's type, option, bounds and decimals ({@link AnswerRules}).
 * Questionnaires that use rules it does not implement are left to HAPI's validator, see {@link #covers}.
 *
 * @see <a href="https://hl7.org/fhir/uv/sdc/STU4/validation.html">SDC validation</a>
 */
final class ResponseConformance {

	/** Statuses for which missing required answers are allowed, as in HAPI (warnings there, nothing here). */
	private static final Set<QuestionnaireResponseStatus> DRAFTS =
			EnumSet.of(QuestionnaireResponseStatus.INPROGRESS, QuestionnaireResponseStatus.STOPPED);

	private final Questionnaire questionnaire;
	private final boolean draft;
	private final ResponseProblems problems;

	private ResponseConformance(Questionnaire questionnaire, boolean draft, ResponseProblems problems) {
		this.questionnaire = questionnaire;
		this.draft = draft;
		this.problems = problems;
	}

	/** Adds a problem for every way the response's items do not conform to the Questionnaire. */
	static void check(Questionnaire questionnaire, QuestionnaireResponse response, ResponseProblems problems) {
		new ResponseConformance(questionnaire, DRAFTS.contains(response.getStatus()), problems)
				.items(questionnaire.getItem(), response.getItem(), "QuestionnaireResponse");
	}

	/**
	 * Whether this class checks every rule the Questionnaire carries; when not (enableWhen, answer value sets,
	 * constraints and other item extensions it does not know), HAPI's validator must check the responses.
	 */
	static boolean covers(Questionnaire questionnaire) {
		return AnswerRules.coversRoot(questionnaire) && coversItems(questionnaire.getItem());
	}

	private static boolean coversItems(List<QuestionnaireItemComponent> items) {
		return items.stream().allMatch(item -> AnswerRules.covers(item) && coversItems(item.getItem()));
	}

	private void items(
			List<QuestionnaireItemComponent> definitions, List<QuestionnaireResponseItemComponent> items, String path) {
		Map<String, Integer> positions = new HashMap<>();
		for (int i = 0; i < definitions.size(); i++) {
			positions.putIfAbsent(definitions.get(i).getLinkId(), i);
		}
		Map<String, Integer> answered = new HashMap<>();
		int last = -1;
		for (int i = 0; i < items.size(); i++) {
			QuestionnaireResponseItemComponent item = items.get(i);
			String at = path + ".item[" + i + "]";
			String linkId = item.getLinkId();
			Integer position = linkId == null ? null : positions.get(linkId);
			if (linkId == null || linkId.isBlank()) {
				problems.add(
						IssueType.INVALID, at, "An item has no linkId, so it cannot be matched to the Questionnaire");
			} else if (position == null) {
				misplaced(linkId, path);
			} else {
				if (position < last) {
					problems.add(
							IssueType.INVALID,
							path,
							"Structural error: items are out of order: item '" + linkId + "' comes after '"
									+ definitions.get(last).getLinkId() + "', the Questionnaire asks it before");
				}
				last = position;
				if (item.hasAnswer() || item.hasItem()) {
					answered.merge(linkId, 1, Integer::sum);
					item(definitions.get(position), item, at);
				}
			}
		}
		for (QuestionnaireItemComponent definition : definitions) {
			int count = answered.getOrDefault(definition.getLinkId(), 0);
			if (count > 1 && !definition.getRepeats()) {
				problems.add(
						IssueType.INVALID,
						path,
						"Only one response item with the linkId " + definition.getLinkId() + " allowed - found " + count
								+ " items (item '" + definition.getLinkId() + "' does not repeat)");
			}
			if (definition.getRequired() && !draft && count == 0) {
				problems.add(IssueType.INVALID, path, "No answer for required item '" + definition.getLinkId() + "'");
			}
		}
	}

	private void item(QuestionnaireItemComponent definition, QuestionnaireResponseItemComponent item, String at) {
		String linkId = definition.getLinkId();
		if (item.hasText() && !item.getText().equals(definition.getText())) {
			problems.add(
					IssueType.INVALID,
					at,
					"Item '" + linkId + "': if text exists, it must match the Questionnaire's text for the item");
		}
		// an empty answer element is no answer: HAPI's validator never sees it, the JSON encoder drops it
		List<QuestionnaireResponseItemAnswerComponent> answers =
				item.getAnswer().stream().filter(a -> !a.isEmpty()).toList();
		switch (definition.getType()) {
			case GROUP -> {
				if (!answers.isEmpty()) {
					problems.add(IssueType.INVALID, at, "Item '" + linkId + "' is a group: it has items, not answers");
				}
				items(definition.getItem(), item.getItem(), at);
			}
			case DISPLAY -> {
				if (item.hasItem()) {
					problems.add(IssueType.INVALID, at, "Item '" + linkId + "' is display text: it has no items");
				}
			}
			default -> question(definition, item, answers, at);
		}
	}

	private void question(
			QuestionnaireItemComponent definition,
			QuestionnaireResponseItemComponent item,
			List<QuestionnaireResponseItemAnswerComponent> answers,
			String at) {
		String linkId = definition.getLinkId();
		if (item.hasItem()) {
			problems.add(
					IssueType.INVALID,
					at,
					"Item '" + linkId + "' is a question: items nested in it belong under its answer (answer.item)");
		}
		if (answers.size() > 1 && !definition.getRepeats()) {
			problems.add(
					IssueType.INVALID,
					at,
					"Item '" + linkId + "': only one response answer allowed, but it has " + answers.size());
		}
		if (definition.getRequired() && !draft && answers.isEmpty()) {
			problems.add(IssueType.INVALID, at, "No answer for required item '" + linkId + "'");
		}
		for (int a = 0; a < item.getAnswer().size(); a++) {
			QuestionnaireResponseItemAnswerComponent answer = item.getAnswer().get(a);
			String answerAt = at + ".answer[" + a + "]";
			if (answer.hasValue()) {
				AnswerRules.check(definition, answer.getValue(), answerAt, problems);
			}
			items(definition.getItem(), answer.getItem(), answerAt);
		}
	}

	private void misplaced(String linkId, String path) {
		QuestionnaireItemComponent elsewhere = find(questionnaire.getItem(), linkId);
		if (elsewhere == null) {
			problems.add(
					IssueType.INVALID,
					path,
					"LinkId '" + linkId + "' not found in questionnaire " + questionnaire.getUrl() + "|"
							+ questionnaire.getVersion());
		} else {
			problems.add(
					IssueType.INVALID,
					path,
					"Structural error: item with linkId " + linkId
							+ " is in the wrong place: the Questionnaire has it at another level of nesting");
		}
	}

	private static QuestionnaireItemComponent find(List<QuestionnaireItemComponent> items, String linkId) {
		for (QuestionnaireItemComponent item : items) {
			if (linkId.equals(item.getLinkId())) {
				return item;
			}
			QuestionnaireItemComponent nested = find(item.getItem(), linkId);
			if (nested != null) {
				return nested;
			}
		}
		return null;
	}
}
