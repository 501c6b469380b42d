package org.alliancefhir.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.alliancefhir.fixtures.FixtureSet;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Takes literal collections and shared {@code %resource} paths out of the expressions without changing scores.
 */
class PlanOptimizerTests {

	private final ScoringEngine engine = new ScoringEngine();

	@Test
	void computesLiteralCollectionsOnceAtCompileTime() {
		Precomputed precomputed = this.engine
				.compile(TestResources.testQuestionnaire("test-likert"))
				.precomputed();

		assertThat(precomputed.constants())
				.map((values) -> values.stream().map(Base::primitiveValue).toList())
				.containsExactly(List.of("q1", "q2"), List.of("q3", "q4"));
	}

	@Test
	void sharesThePathThatSeveralExpressionsStartWith() {
		Precomputed precomputed =
				this.engine.compile(TestResources.testQuestionnaire("test-vas")).precomputed();

		assertThat(precomputed.shared()).map(Object::toString).containsExactly("%resource.repeat(item)");
	}

	@Test
	void sharesNothingWhenNoPathIsUsedTwice() {
		Precomputed precomputed = this.engine
				.compile(TestResources.testQuestionnaire("test-members"))
				.precomputed();

		assertThat(precomputed.shared()).isEmpty();
	}

	@Test
	void sharesOnlyTheStepsBeforeAStepThatDependsOnTheContext() {
		Questionnaire questionnaire = TestResources.testQuestionnaire("test-vas");
		for (QuestionnaireItemComponent component :
				questionnaire.getItem().get(4).getItem()) {
			((Expression) component
							.getExtensionByUrl(SdcExtensions.CALCULATED_EXPRESSION)
							.getValue())
					.setExpression("%resource.repeat(item).where(linkId = %context.item.linkId.first()).answer.value");
		}

		Precomputed precomputed = this.engine.compile(questionnaire).precomputed();

		assertThat(precomputed.shared()).map(Object::toString).containsExactly("%resource.repeat(item)");
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("org.alliancefhir.scoring.FixtureScoresTests#scenarios")
	void givesTheSameScoresAsTheUnchangedExpressions(FixtureSet set, String scenario) throws IOException {
		Questionnaire questionnaire = TestResources.questionnaire(set.questionnairePath());
		QuestionnaireResponse response = TestResources.FHIR
				.newJsonParser()
				.parseResource(QuestionnaireResponse.class, Files.readString(set.response(scenario)));
		FHIRPathEngine fhirPath = FhirPathEngines.create(TestResources.FHIR, new SdcFunctions());
		ScoringPlan unoptimized = PlanCompiler.compile(fhirPath, questionnaire, false);

		assertThat(this.engine.score(questionnaire, response))
				.isEqualTo(Evaluation.run(fhirPath, unoptimized, questionnaire, response));
	}
}
