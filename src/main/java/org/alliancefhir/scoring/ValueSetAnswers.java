package org.alliancefhir.scoring;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemAnswerOptionComponent;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.r4.model.ValueSet.ConceptReferenceComponent;
import org.hl7.fhir.r4.model.ValueSet.ConceptSetComponent;
import org.hl7.fhir.r4.model.ValueSet.ValueSetExpansionContainsComponent;

/**
 * The answers a ValueSet enumerates itself, as answer options carrying their weights, so an {@code answerValueSet}
 * item is checked and scored like one with {@code answerOption}s and no CodeSystem is needed. A ValueSet
 * enumerates its answers in {@code expansion.contains}, or in {@code compose.include.concept} when every include
 * lists its concepts (no filters, no whole code systems, no imported value sets). Weights come from
 * {@code itemWeight} or {@code ordinalValue} on the concept or the expansion entry, or from the R5 {@code itemWeight}
 * property of an expansion entry through the cross-version extension.
 *
 * @see <a href="https://hl7.org/fhir/uv/sdc/STU4/expressions.html#fhirpath-supplements">SDC weight()</a>
 */
public final class ValueSetAnswers {

	/** R5 {@code ValueSet.expansion.contains.property} in R4 (sub-extensions {@code code} and {@code value}). */
	static final String CONTAINS_PROPERTY =
			"http://hl7.org/fhir/5.0/StructureDefinition/extension-ValueSet.expansion.contains.property";

	/** R5 {@code ValueSet.expansion.property} in R4 (sub-extensions {@code code} and {@code uri}). */
	static final String EXPANSION_PROPERTY =
			"http://hl7.org/fhir/5.0/StructureDefinition/extension-ValueSet.expansion.property";

	static final String ITEM_WEIGHT_PROPERTY = "http://hl7.org/fhir/concept-properties#itemWeight";

	private ValueSetAnswers() {}

	/**
	 * Returns the enumerated answers with {@code itemWeight} and {@code ordinalValue} on each weighted option, or
	 * empty when the ValueSet does not list its codes (it would need a terminology server to expand).
	 */
	public static Optional<List<QuestionnaireItemAnswerOptionComponent>> options(ValueSet valueSet) {
		Map<String, BigDecimal> composeWeights = new HashMap<>();
		Map<String, Coding> composed = composed(valueSet, composeWeights);
		if (valueSet.getExpansion().hasContains()) {
			String weightCode = weightPropertyCode(valueSet);
			List<QuestionnaireItemAnswerOptionComponent> options = new ArrayList<>();
			for (ValueSetExpansionContainsComponent entry :
					flatten(valueSet.getExpansion().getContains())) {
				Coding coding = new Coding(entry.getSystem(), entry.getCode(), entry.getDisplay());
				BigDecimal weight = AnswerWeights.weight(entry);
				if (weight == null) {
					weight = propertyWeight(entry, weightCode);
				}
				if (weight == null) {
					weight = composeWeights.get(key(coding));
				}
				options.add(option(coding, weight));
			}
			return Optional.of(options);
		}
		if (composed == null) {
			return Optional.empty();
		}
		return Optional.of(composed.values().stream()
				.map(coding -> option(coding, composeWeights.get(key(coding))))
				.toList());
	}

	/** The concepts the compose lists, or {@code null} when any include needs a terminology server. */
	private static Map<String, Coding> composed(ValueSet valueSet, Map<String, BigDecimal> weights) {
		if (!valueSet.getCompose().hasInclude()) {
			return null;
		}
		Map<String, Coding> codings = new LinkedHashMap<>();
		for (ConceptSetComponent include : valueSet.getCompose().getInclude()) {
			if (!include.hasSystem() || !include.hasConcept() || include.hasFilter() || include.hasValueSet()) {
				return null;
			}
			for (ConceptReferenceComponent concept : include.getConcept()) {
				Coding coding = new Coding(include.getSystem(), concept.getCode(), concept.getDisplay());
				codings.put(key(coding), coding);
				BigDecimal weight = AnswerWeights.weight(concept);
				if (weight != null) {
					weights.put(key(coding), weight);
				}
			}
		}
		for (ConceptSetComponent exclude : valueSet.getCompose().getExclude()) {
			exclude.getConcept().forEach(c -> codings.remove(exclude.getSystem() + "|" + c.getCode()));
		}
		return codings;
	}

	private static List<ValueSetExpansionContainsComponent> flatten(List<ValueSetExpansionContainsComponent> entries) {
		List<ValueSetExpansionContainsComponent> flat = new ArrayList<>();
		for (ValueSetExpansionContainsComponent entry : entries) {
			if (entry.hasCode() && !entry.getAbstract()) {
				flat.add(entry);
			}
			flat.addAll(flatten(entry.getContains()));
		}
		return flat;
	}

	/** The code the expansion gives the itemWeight property ({@code itemWeight} unless it declares another). */
	private static String weightPropertyCode(ValueSet valueSet) {
		for (Extension property : valueSet.getExpansion().getExtensionsByUrl(EXPANSION_PROPERTY)) {
			Extension uri = property.getExtensionByUrl("uri");
			Extension code = property.getExtensionByUrl("code");
			if (uri != null
					&& code != null
					&& ITEM_WEIGHT_PROPERTY.equals(uri.getValue().primitiveValue())) {
				return code.getValue().primitiveValue();
			}
		}
		return "itemWeight";
	}

	private static BigDecimal propertyWeight(ValueSetExpansionContainsComponent entry, String weightCode) {
		for (Extension property : entry.getExtensionsByUrl(CONTAINS_PROPERTY)) {
			Extension code = property.getExtensionByUrl("code");
			Extension value = property.getExtensionByUrl("value");
			if (value == null) {
				value = property.getExtensionByUrl("value[x]");
			}
			if (code != null
					&& value != null
					&& weightCode.equals(code.getValue().primitiveValue())) {
				return Numbers.toDecimal(value.getValue());
			}
		}
		return null;
	}

	private static QuestionnaireItemAnswerOptionComponent option(Coding coding, BigDecimal weight) {
		QuestionnaireItemAnswerOptionComponent option = new QuestionnaireItemAnswerOptionComponent(coding);
		if (weight != null) {
			option.addExtension(SdcExtensions.ITEM_WEIGHT, new DecimalType(weight));
			option.addExtension(SdcExtensions.ORDINAL_VALUE, new DecimalType(weight));
		}
		return option;
	}

	private static String key(Coding coding) {
		return coding.getSystem() + "|" + coding.getCode();
	}
}
