package org.alliancefhir.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;

/**
 * Compiles a Questionnaire version once and again only when its rules change.
 */
class PlanCacheTests {

	private final ScoringEngine engine = new ScoringEngine();

	@Test
	void reusesThePlanForTheSameQuestionnaire() {
		Questionnaire questionnaire = TestResources.testQuestionnaire("test-likert");

		assertThat(this.engine.compile(questionnaire)).isSameAs(this.engine.compile(questionnaire));
	}

	@Test
	void reusesThePlanForAnEqualCopyWithOtherTexts() {
		Questionnaire questionnaire = TestResources.testQuestionnaire("test-likert");
		Questionnaire copy = questionnaire.copy();
		copy.setTitle("Another title");
		copy.getItemFirstRep().setText("Another text");

		assertThat(this.engine.compile(copy)).isSameAs(this.engine.compile(questionnaire));
	}

	@Test
	void compilesAgainWhenAnExpressionChangesUnderTheSameVersion() {
		Questionnaire questionnaire = TestResources.testQuestionnaire("test-likert");
		ScoringPlan before = this.engine.compile(questionnaire);
		Questionnaire edited = questionnaire.copy();
		expression(edited.getItem().get(4)).setExpression("%allWeights.sum() * 2");

		assertThat(this.engine.compile(edited)).isNotSameAs(before);
		assertThat(this.engine.score(edited, response()).value("total")).contains(new BigDecimal("16"));
		assertThat(this.engine.score(questionnaire, response()).value("total")).contains(new BigDecimal("8"));
	}

	@Test
	void compilesAgainWhenAWeightChangesUnderTheSameVersion() {
		Questionnaire questionnaire = TestResources.testQuestionnaire("test-likert");
		ScoringPlan before = this.engine.compile(questionnaire);
		Questionnaire edited = questionnaire.copy();
		edited.getItemFirstRep()
				.getAnswerOption()
				.get(1)
				.getExtension()
				.forEach((weight) -> weight.setValue(new DecimalType(10)));

		assertThat(this.engine.compile(edited)).isNotSameAs(before);
		assertThat(this.engine.score(edited, response()).value("total")).contains(new BigDecimal("16"));
	}

	@Test
	void keepsSeparatePlansPerVersion() {
		Questionnaire questionnaire = TestResources.testQuestionnaire("test-likert");
		Questionnaire next = questionnaire.copy().setVersion("2.0.0");

		assertThat(this.engine.compile(next)).isNotSameAs(this.engine.compile(questionnaire));
		assertThat(this.engine.compile(next).questionnaire()).endsWith("|2.0.0");
	}

	private static QuestionnaireResponse response() {
		return TestResources.testResponse("test-likert", "client-weight");
	}

	private static Expression expression(QuestionnaireItemComponent item) {
		return (Expression)
				item.getExtensionByUrl(SdcExtensions.CALCULATED_EXPRESSION).getValue();
	}
}
