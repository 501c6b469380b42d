package org.alliancefhir.content;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import org.alliancefhir.scoring.FhirPathEngines;
import org.alliancefhir.scoring.ScoringEngine;
import org.alliancefhir.scoring.SdcExtensions;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every FHIRPath expression of a Questionnaire, of any SDC extension and at any depth, is bounded, naming the item. */
class QuestionnaireExpressionsTests {

	private static final String SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-";
	private static final String DEEP = "(".repeat(20_000) + "1" + ")".repeat(20_000);
	private static final String REPLACES = "'aaaa'" + ".replace('a', 'aaaa')".repeat(8) + ".length()";

	private final QuestionnaireExpressions expressions =
			new QuestionnaireExpressions(FhirPathEngines.forSyntax(FhirContext.forR4Cached()), new ScoringEngine());

	@ParameterizedTest
	@ValueSource(
			strings = {
				"enableWhenExpression",
				"initialExpression",
				"answerExpression",
				"candidateExpression",
				"contextExpression",
				"calculatedExpression"
			})
	void boundsTheExpressionOfEverySdcExtensionNamingTheItem(String kind) {
		Questionnaire questionnaire = questionnaire();
		questionnaire.getItemFirstRep().getItemFirstRep().addExtension(expression(SDC + kind, null, REPLACES));

		assertThat(expressions.problems(questionnaire))
				.containsExactly("Questionnaire item 'inner': the FHIRPath of sdc-questionnaire-" + kind
						+ " uses replace(), whose cost this server does not bound");
	}

	@Test
	void boundsVariablesOnTheRootAndExpressionsNestedInOtherExtensions() {
		Questionnaire questionnaire = questionnaire();
		questionnaire.addExtension(expression(SdcExtensions.VARIABLE, "v", DEEP.substring(0, 1500) + "1"));
		Extension constraint = new Extension("http://hl7.org/fhir/StructureDefinition/targetConstraint");
		constraint.addExtension(expression("expression", null, "%resource.item.where("));
		questionnaire.getItemFirstRep().addExtension(constraint);

		assertThat(expressions.problems(questionnaire))
				.containsExactly(
						"Questionnaire root: the FHIRPath of variable nests brackets more than 32 deep",
						"Questionnaire item 'outer': the FHIRPath of expression does not parse: " + parseError());
	}

	@Test
	void refuses20000NestedParenthesesByLength() {
		Questionnaire questionnaire = questionnaire();
		questionnaire.getItemFirstRep().addExtension(expression(SDC + "calculatedExpression", null, DEEP));

		assertThat(expressions.problems(questionnaire))
				.containsExactly(
						"Questionnaire item 'outer': the FHIRPath of sdc-questionnaire-calculatedExpression is "
								+ "40001 characters long; at most 2000 are allowed");
	}

	@Test
	void compilesTheScoreRulesOnceTheExpressionsAreWithinBounds() {
		Questionnaire questionnaire = questionnaire();
		questionnaire
				.getItemFirstRep()
				.getItemFirstRep()
				.addExtension(expression(SdcExtensions.CALCULATED_EXPRESSION, null, "%undefined.sum()"));

		assertThat(expressions.problems(questionnaire))
				.singleElement()
				.asString()
				.contains("item 'inner'")
				.contains("uses %undefined, which is not defined before it");
	}

	@Test
	void acceptsAQuestionnaireWithinBoundsAndIgnoresOtherLanguages() {
		Questionnaire questionnaire = questionnaire();
		questionnaire
				.getItemFirstRep()
				.getItemFirstRep()
				.addExtension(expression(
						SdcExtensions.CALCULATED_EXPRESSION, null, "%resource.repeat(item).answer.value.count()"));
		questionnaire.addExtension(new Extension(SDC + "initialExpression")
				.setValue(new Expression().setLanguage("text/cql").setExpression(DEEP)));

		assertThat(expressions.problems(questionnaire)).isEmpty();
	}

	private static Questionnaire questionnaire() {
		Questionnaire questionnaire = new Questionnaire();
		questionnaire.setUrl("https://example.org/Questionnaire/hostile").setVersion("1");
		QuestionnaireItemComponent outer =
				questionnaire.addItem().setLinkId("outer").setType(QuestionnaireItemType.GROUP);
		outer.addItem().setLinkId("inner").setType(QuestionnaireItemType.DECIMAL);
		return questionnaire;
	}

	private static Extension expression(String url, String name, String fhirPath) {
		return new Extension(url)
				.setValue(new Expression()
						.setName(name)
						.setLanguage(SdcExtensions.FHIRPATH_LANGUAGE)
						.setExpression(fhirPath));
	}

	private static String parseError() {
		try {
			FhirPathEngines.forSyntax(FhirContext.forR4Cached()).parse("%resource.item.where(");
			return "";
		} catch (RuntimeException e) {
			return e.getMessage();
		}
	}
}
