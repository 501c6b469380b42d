package org.alliancefhir.scoring;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Questionnaire;
import org.junit.jupiter.api.Test;

/** Rules within the static bounds that still multiply their work fail with the item named, not with the heap. */
class EvaluationBudgetTests {

	private final ScoringEngine engine = new ScoringEngine();

	@Test
	void variablesThatDoubleAStringOneAfterTheOtherStopAtTheTextLimit() {
		Questionnaire questionnaire = TestResources.testQuestionnaire("test-likert");
		questionnaire.setVersion("doubling");
		questionnaire.addExtension(variable("d0", "'" + "x".repeat(100) + "'"));
		for (int i = 1; i <= 30; i++) {
			questionnaire.addExtension(variable("d" + i, "%d" + (i - 1) + " & %d" + (i - 1)));
		}

		assertThatExceptionOfType(ScoringRuleException.class)
				.isThrownBy(() -> engine.score(questionnaire, TestResources.testResponse("test-likert", "all-minimum")))
				.withMessageContaining("(root): variable %d10")
				.withMessageContaining("gave 102400 characters; at most 100000 are allowed");
	}

	@Test
	void variablesThatDoubleACollectionStopAtTheValueLimit() {
		Questionnaire questionnaire = TestResources.testQuestionnaire("test-likert");
		questionnaire.setVersion("doubling-collection");
		questionnaire.addExtension(variable("c0", "(1 | 2)"));
		for (int i = 1; i <= 30; i++) {
			questionnaire.addExtension(variable("c" + i, "%c" + (i - 1) + ".combine(%c" + (i - 1) + ")"));
		}

		assertThatExceptionOfType(ScoringRuleException.class)
				.isThrownBy(() -> engine.score(questionnaire, TestResources.testResponse("test-likert", "all-minimum")))
				.withMessageContaining("(root): variable %c13")
				.withMessageContaining("gave 16384 values; at most 10000 are allowed");
	}

	private static Extension variable(String name, String expression) {
		return new Extension(SdcExtensions.VARIABLE)
				.setValue(new Expression()
						.setName(name)
						.setLanguage(SdcExtensions.FHIRPATH_LANGUAGE)
						.setExpression(expression));
	}
}
