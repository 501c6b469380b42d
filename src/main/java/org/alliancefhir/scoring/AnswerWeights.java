package org.alliancefhir.scoring;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemAnswerOptionComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * The answer weights of the server's Questionnaire, per item linkId, and their lookup for the answers of a response.
 *
 * <p>
 * Weights come only from the Questionnaire's answerOptions ({@code itemWeight}, else {@code ordinalValue}), or from
 * the contained ValueSet an item's {@code answerValueSet} names ({@link ValueSetAnswers}), never from extensions a
 * client put on its answers; other answer ValueSets are resolved into answerOptions before scoring. They are keyed by item because reverse-keyed items give the same
 * code another weight, and model objects do not know their parent item.
 *
 * @see <a href="https://hl7.org/fhir/uv/sdc/STU4/expressions.html#fhirpath-supplements">SDC weight()</a>
 */
final class AnswerWeights {

	private final Map<String, Map<OptionKey, DecimalType>> byLinkId;

	private AnswerWeights(Map<String, Map<OptionKey, DecimalType>> byLinkId) {
		this.byLinkId = byLinkId;
	}

	static AnswerWeights of(Questionnaire questionnaire) {
		Map<String, Map<OptionKey, DecimalType>> byLinkId = new HashMap<>();
		collect(questionnaire, questionnaire.getItem(), byLinkId);
		return new AnswerWeights(Map.copyOf(byLinkId));
	}

	private static void collect(
			Questionnaire questionnaire,
			List<QuestionnaireItemComponent> items,
			Map<String, Map<OptionKey, DecimalType>> out) {
		for (QuestionnaireItemComponent item : items) {
			Map<OptionKey, DecimalType> options = new HashMap<>();
			for (QuestionnaireItemAnswerOptionComponent option : answerOptions(questionnaire, item)) {
				BigDecimal weight = weight(option, option.getValue());
				if (weight != null && option.hasValue()) {
					options.put(OptionKey.of(option.getValue()), new DecimalType(weight));
				}
			}
			if (!options.isEmpty()) {
				out.put(item.getLinkId(), Map.copyOf(options));
			}
			collect(questionnaire, item.getItem(), out);
		}
	}

	/** The item's answerOptions, else the answers its contained {@code answerValueSet} enumerates. */
	private static List<QuestionnaireItemAnswerOptionComponent> answerOptions(
			Questionnaire questionnaire, QuestionnaireItemComponent item) {
		if (item.hasAnswerOption()
				|| !item.hasAnswerValueSet()
				|| !item.getAnswerValueSet().startsWith("#")) {
			return item.getAnswerOption();
		}
		String id = item.getAnswerValueSet().substring(1);
		return questionnaire.getContained().stream()
				.filter(r -> r instanceof ValueSet && id.equals(r.getIdElement().getIdPart()))
				.findFirst()
				.flatMap(r -> ValueSetAnswers.options((ValueSet) r))
				.orElse(List.of());
	}

	/** The weight on the answerOption element, else on its value (both are the server's own content). */
	private static BigDecimal weight(Element option, Base value) {
		BigDecimal weight = weight(option);
		return (weight == null && value instanceof Element element) ? weight(element) : weight;
	}

	/** The weight an element carries as {@code itemWeight}, else as {@code ordinalValue}; null when none. */
	static BigDecimal weight(Element element) {
		for (String url : List.of(SdcExtensions.ITEM_WEIGHT, SdcExtensions.ORDINAL_VALUE)) {
			Extension extension = element.getExtensionByUrl(url);
			if (extension != null && Numbers.toDecimal(extension.getValue()) != null) {
				return Numbers.toDecimal(extension.getValue());
			}
		}
		return null;
	}

	/** Maps each answer value object of the response to its item's weight for that answer, by identity. */
	Map<Base, Base> index(QuestionnaireResponse response) {
		Map<Base, Base> index = new IdentityHashMap<>();
		index(response.getItem(), index);
		return index;
	}

	private void index(List<QuestionnaireResponseItemComponent> items, Map<Base, Base> index) {
		for (QuestionnaireResponseItemComponent item : items) {
			Map<OptionKey, DecimalType> options = this.byLinkId.get(item.getLinkId());
			for (QuestionnaireResponseItemAnswerComponent answer : item.getAnswer()) {
				if (options != null && answer.hasValue()) {
					DecimalType weight = options.get(OptionKey.of(answer.getValue()));
					if (weight != null) {
						index.put(answer.getValue(), weight);
					}
				}
				index(answer.getItem(), index);
			}
			index(item.getItem(), index);
		}
	}

	/** Identifies an answer: a Coding by system and code, any other value by type and literal value. */
	private record OptionKey(String type, String system, String value) {

		static OptionKey of(Base value) {
			if (value instanceof Coding coding) {
				return new OptionKey("Coding", coding.getSystem(), coding.getCode());
			}
			return new OptionKey(value.fhirType(), null, value.primitiveValue());
		}
	}
}
