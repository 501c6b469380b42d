package org.alliancefhir.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemAnswerOptionComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.UriType;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.r4.model.ValueSet.ValueSetExpansionContainsComponent;
import org.junit.jupiter.api.Test;

/** Reads the answers and weights a ValueSet enumerates, in each of the places SDC forms put them. */
class ValueSetAnswersTests {

	private static final String SYSTEM = "http://hl7.org/fhir/uv/sdc/CodeSystem/CSPHQ9";

	@Test
	void composeConceptsGiveTheirOrdinalValues() {
		ValueSet valueSet = new ValueSet();
		var include = valueSet.getCompose().addInclude().setSystem(SYSTEM);
		include.addConcept().setCode("Not-at-all").addExtension(SdcExtensions.ORDINAL_VALUE, new DecimalType(0));
		include.addConcept().setCode("Nearly every day").addExtension(SdcExtensions.ITEM_WEIGHT, new DecimalType(3));
		include.addConcept().setCode("unweighted");
		valueSet.getCompose().addExclude().setSystem(SYSTEM).addConcept().setCode("unweighted");

		List<QuestionnaireItemAnswerOptionComponent> options =
				ValueSetAnswers.options(valueSet).orElseThrow();

		assertThat(options)
				.extracting(o -> o.getValueCoding().getCode())
				.containsExactly("Not-at-all", "Nearly every day");
		assertThat(weights(options)).containsExactly("0", "3");
	}

	@Test
	void expansionEntriesGiveTheR5ItemWeightPropertyOrTheirExtension() {
		ValueSet valueSet = new ValueSet();
		valueSet.getCompose().addInclude().setSystem(SYSTEM);
		Extension declared = valueSet.getExpansion().addExtension().setUrl(ValueSetAnswers.EXPANSION_PROPERTY);
		declared.addExtension("code", new CodeType("w"));
		declared.addExtension("uri", new UriType(ValueSetAnswers.ITEM_WEIGHT_PROPERTY));
		ValueSetExpansionContainsComponent first =
				valueSet.getExpansion().addContains().setSystem(SYSTEM).setCode("a");
		Extension property = first.addExtension().setUrl(ValueSetAnswers.CONTAINS_PROPERTY);
		property.addExtension("code", new CodeType("w"));
		property.addExtension("value", new DecimalType("2.5"));
		valueSet.getExpansion()
				.addContains()
				.setSystem(SYSTEM)
				.setCode("b")
				.addExtension(SdcExtensions.ITEM_WEIGHT, new DecimalType(4));

		List<QuestionnaireItemAnswerOptionComponent> options =
				ValueSetAnswers.options(valueSet).orElseThrow();

		assertThat(options).extracting(o -> o.getValueCoding().getCode()).containsExactly("a", "b");
		assertThat(weights(options)).containsExactly("2.5", "4");
	}

	@Test
	void aValueSetThatNamesOnlyACodeSystemEnumeratesNothing() {
		ValueSet valueSet = new ValueSet();
		valueSet.getCompose().addInclude().setSystem("http://loinc.org");

		assertThat(ValueSetAnswers.options(valueSet)).isEmpty();
	}

	@Test
	void theEngineWeighsAnswersFromAContainedValueSet() {
		Questionnaire questionnaire = new Questionnaire();
		questionnaire.setUrl("https://example.org/Questionnaire/contained");
		ValueSet valueSet = new ValueSet();
		valueSet.setId("answers");
		valueSet.getCompose()
				.addInclude()
				.setSystem(SYSTEM)
				.addConcept()
				.setCode("Several-days")
				.addExtension(SdcExtensions.ORDINAL_VALUE, new DecimalType(1));
		questionnaire.addContained(valueSet);
		questionnaire
				.addItem()
				.setLinkId("q1")
				.setType(Questionnaire.QuestionnaireItemType.CHOICE)
				.setAnswerValueSet("#answers");
		questionnaire
				.addItem()
				.setLinkId("total")
				.setType(Questionnaire.QuestionnaireItemType.DECIMAL)
				.addExtension(
						SdcExtensions.CALCULATED_EXPRESSION,
						new org.hl7.fhir.r4.model.Expression()
								.setLanguage(SdcExtensions.FHIRPATH_LANGUAGE)
								.setExpression("%resource.item.answer.value.weight().sum()"));
		QuestionnaireResponse response = new QuestionnaireResponse();
		response.addItem().setLinkId("q1").addAnswer().setValue(new Coding(SYSTEM, "Several-days", null));

		ScoreSheet sheet = new ScoringEngine().score(questionnaire, response);

		assertThat(sheet.value("total")).contains(new BigDecimal("1"));
	}

	private static List<String> weights(List<QuestionnaireItemAnswerOptionComponent> options) {
		return options.stream()
				.map(o -> o.getExtensionByUrl(SdcExtensions.ITEM_WEIGHT)
						.getValue()
						.primitiveValue())
				.toList();
	}
}
