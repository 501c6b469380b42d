package org.alliancefhir.content;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemAnswerOptionComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;

/**
 * Replaces the shipped paraphrased Questionnaires by a licensed site's official ones, but only when the official
 * file differs in human-readable text alone (titles, descriptions, item texts, answer displays, entry hints and their
 * translations): linkIds, types, codes, weights, expressions and every other rule must be identical, so licensed
 * wording can never change a score.
 */
class LicensedWording {

	/** The entry hint of a visual-analogue item names its poles: wording, like the pole labels themselves. */
	private static final String ENTRY_FORMAT = "http://hl7.org/fhir/StructureDefinition/entryFormat";

	/**
	 * Returns the shipped content with each licensed Questionnaire put in place of the shipped one of the same
	 * {@code url|version}.
	 *
	 * @throws InvalidContentException naming the licensed file when it has no shipped counterpart or changes rules
	 */
	List<ContentFile> apply(List<ContentFile> shipped, List<ContentFile> licensed) {
		Map<String, ContentFile> byCanonical = new HashMap<>();
		shipped.stream()
				.filter(f -> f.resource() instanceof Questionnaire)
				.forEach(f -> byCanonical.put(f.canonical(), f));
		List<String> problems = new ArrayList<>();
		Map<String, ContentFile> replacements = new HashMap<>();
		for (ContentFile official : licensed) {
			if (!(official.resource() instanceof Questionnaire officialQuestionnaire)) {
				problems.add(official.fileName() + ": only Questionnaires can carry licensed wording");
				continue;
			}
			ContentFile original = byCanonical.get(official.canonical());
			if (original == null) {
				problems.add(official.fileName() + ": no shipped Questionnaire has " + official.canonical());
			} else if (!rulesOf(officialQuestionnaire).equalsDeep(rulesOf((Questionnaire) original.resource()))) {
				problems.add(official.fileName() + ": changes more than wording (linkIds, types, codes, weights or "
						+ "expressions differ from " + original.fileName() + ")");
			} else {
				officialQuestionnaire.setId(original.id());
				replacements.put(original.fileName(), new ContentFile(original.fileName(), officialQuestionnaire));
			}
		}
		if (!problems.isEmpty()) {
			throw new InvalidContentException(problems);
		}
		return shipped.stream()
				.map(f -> replacements.getOrDefault(f.fileName(), f))
				.toList();
	}

	/** A copy of the Questionnaire without any human-readable text: what must stay identical. */
	static Questionnaire rulesOf(Questionnaire questionnaire) {
		Questionnaire rules = questionnaire.copy();
		rules.setId((String) null);
		rules.setMeta(null);
		rules.setText(null);
		rules.setTitleElement(null);
		rules.setDescriptionElement(null);
		rules.setCopyrightElement(null);
		rules.setPurposeElement(null);
		rules.setPublisherElement(null);
		rules.getContact().clear();
		rules.getItem().forEach(LicensedWording::stripItemText);
		return rules;
	}

	private static void stripItemText(QuestionnaireItemComponent item) {
		item.setTextElement(null);
		item.setPrefixElement(null);
		item.removeExtension(ENTRY_FORMAT);
		for (QuestionnaireItemAnswerOptionComponent option : item.getAnswerOption()) {
			if (option.hasValueCoding()) {
				option.getValueCoding().setDisplayElement(null);
			}
		}
		item.getItem().forEach(LicensedWording::stripItemText);
	}
}
