package org.alliancefhir.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.junit.jupiter.api.Test;

/**
 * Rejects invalid score rules when a Questionnaire is compiled, naming the Questionnaire and the item.
 */
class PlanCompilerTests {

	private static final String LIKERT = "https://alliancefhir.org/fhir/Questionnaire/test-likert|1.0.0";

	private final ScoringEngine engine = new ScoringEngine();

	private final Questionnaire questionnaire = TestResources.testQuestionnaire("test-likert");

	@Test
	void listsTheScoreItemsInQuestionnaireOrder() {
		assertThat(this.engine.compile(this.questionnaire).scoreLinkIds()).containsExactly("total", "first", "second");
	}

	@Test
	void expressionThatDoesNotParseNamesQuestionnaireAndLinkId() {
		calculation(component("second")).setExpression("iif(%secondWeights.count() = 2, %secondWeights.sum(, {})");

		assertThatExceptionOfType(ScoringRuleException.class)
				.isThrownBy(() -> this.engine.compile(this.questionnaire))
				.withMessageStartingWith("Questionnaire " + LIKERT + ", item 'second': calculatedExpression")
				.withMessageContaining("does not parse")
				.satisfies((ex) -> assertThat(ex.linkId()).isEqualTo("second"))
				.satisfies((ex) -> assertThat(ex.questionnaire()).isEqualTo(LIKERT));
	}

	@Test
	void unknownFunctionDoesNotParse() {
		calculation(this.questionnaire.getItem().get(4)).setExpression("%allWeights.median()");

		assertThatExceptionOfType(ScoringRuleException.class)
				.isThrownBy(() -> this.engine.compile(this.questionnaire))
				.withMessageContaining("item 'total'")
				.withMessageContaining("median");
	}

	@Test
	void undefinedVariableIsRejected() {
		calculation(component("first")).setExpression("%firstWeight.sum()");

		assertThatExceptionOfType(ScoringRuleException.class)
				.isThrownBy(() -> this.engine.compile(this.questionnaire))
				.withMessageContaining("item 'first'")
				.withMessageContaining("uses %firstWeight, which is not defined before it");
	}

	@Test
	void variableCannotUseALaterVariable() {
		((Expression) this.questionnaire.getExtension().get(0).getValue()).setExpression("%secondWeights");

		assertThatExceptionOfType(ScoringRuleException.class)
				.isThrownBy(() -> this.engine.compile(this.questionnaire))
				.withMessageStartingWith("Questionnaire " + LIKERT + " (root): variable %firstWeights");
	}

	@Test
	void expressionInAnotherLanguageIsRejected() {
		calculation(component("first")).setLanguage("text/cql");

		assertThatExceptionOfType(ScoringRuleException.class)
				.isThrownBy(() -> this.engine.compile(this.questionnaire))
				.withMessageContaining("is in language 'text/cql', not text/fhirpath");
	}

	@Test
	void scoreThatIsNotANumberFailsWithTheItemNamed() {
		calculation(component("first")).setExpression("'high'");

		assertThatExceptionOfType(ScoringRuleException.class)
				.isThrownBy(() ->
						this.engine.score(this.questionnaire, TestResources.testResponse("test-likert", "all-minimum")))
				.withMessageContaining("item 'first'")
				.withMessageContaining("a score is one number");
	}

	private QuestionnaireItemComponent component(String linkId) {
		return this.questionnaire.getItem().get(4).getItem().stream()
				.filter((item) -> item.getLinkId().equals(linkId))
				.findFirst()
				.orElseThrow();
	}

	private static Expression calculation(QuestionnaireItemComponent item) {
		return (Expression)
				item.getExtensionByUrl(SdcExtensions.CALCULATED_EXPRESSION).getValue();
	}
}
