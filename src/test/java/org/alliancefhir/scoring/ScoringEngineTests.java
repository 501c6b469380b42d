package org.alliancefhir.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;

/**
 * Scores the engine's own test instruments: a Likert scale with a reverse-keyed item, a visual-analogue scale, and
 * a repeating member group.
 */
class ScoringEngineTests {

	private static final ScoringEngine ENGINE = new ScoringEngine();

	private final Questionnaire likert = TestResources.testQuestionnaire("test-likert");

	@Test
	void missingItemGivesEmptyScoreNotAGuess() {
		ScoreSheet sheet = score("test-likert", "one-item-missing");

		assertThat(sheet.value("total")).isEmpty();
		assertThat(sheet.value("second")).isEmpty();
		assertThat(sheet.value("first")).contains(new BigDecimal("5"));
	}

	@Test
	void ignoresWeightExtensionsTheClientPutOnAnswers() {
		QuestionnaireResponse response = TestResources.testResponse("test-likert", "client-weight");
		assertThat(response.getItemFirstRep()
						.getAnswerFirstRep()
						.getValueCoding()
						.getExtension())
				.hasSize(2);

		ScoreSheet sheet = ENGINE.score(this.likert, response);

		assertThat(sheet.value("first")).contains(new BigDecimal("4"));
		assertThat(sheet.value("total")).contains(new BigDecimal("8"));
	}

	@Test
	void takesWeightsFromTheAnsweredItemSoReverseKeyedItemsWeighDifferently() {
		ScoreSheet sheet = score("test-likert", "reverse-keyed");

		assertThat(sheet.value("first")).contains(new BigDecimal("2"));
		assertThat(sheet.value("second")).contains(new BigDecimal("4"));
	}

	@Test
	void scoresComponentsNestedUnderTheTotal() {
		ScoreSheet sheet = score("test-likert", "all-maximum");

		assertThat(sheet.scores()).extracting(Score::linkId).containsExactly("total", "first", "second");
	}

	@Test
	void answerWithoutAWeightGivesNoScore() {
		QuestionnaireResponse response = TestResources.testResponse("test-likert", "all-minimum");
		response.getItemFirstRep().getAnswerFirstRep().setValue(new Coding("urn:other", "s1", null));

		ScoreSheet sheet = ENGINE.score(this.likert, response);

		assertThat(sheet.value("first")).isEmpty();
		assertThat(sheet.value("second")).contains(new BigDecimal("2"));
	}

	@Test
	void sumsDecimalsExactlyAndKeepsTheRoundedScale() {
		ScoreSheet sheet = score("test-vas", "decimal-sum");

		assertThat(sheet.value("total")).map(BigDecimal::toPlainString).contains("36.0");
		assertThat(sheet.value("c2")).map(BigDecimal::toPlainString).contains("9.7");
	}

	@Test
	void scoresEachRepeatingGroupInstanceSeparately() {
		ScoreSheet sheet = score("test-members", "two-members");

		assertThat(sheet.find("rating-score", List.of(0))).map(Score::value).contains(Optional.of(BigDecimal.ONE));
		assertThat(sheet.find("rating-score", List.of(1)))
				.map(Score::value)
				.contains(Optional.of(new BigDecimal("-0.5")));
		assertThat(sheet.value("family-score")).contains(new BigDecimal("0.5"));
	}

	@Test
	void groupVariablesSeeRootVariables() {
		ScoreSheet sheet = score("test-members", "two-members");

		assertThat(sheet.find("with-family", List.of(0)).flatMap(Score::value)).contains(new BigDecimal("1.5"));
	}

	@Test
	void responseWithoutGroupInstancesHasNoMemberScores() {
		QuestionnaireResponse response = TestResources.testResponse("test-members", "two-members");
		response.getItem().removeIf((item) -> item.getLinkId().equals("member"));

		ScoreSheet sheet = ENGINE.score(TestResources.testQuestionnaire("test-members"), response);

		assertThat(sheet.scores()).extracting(Score::linkId).containsExactly("family-score");
	}

	@Test
	void oneEngineScoresConcurrentlyLikeSequentially() {
		Questionnaire members = TestResources.testQuestionnaire("test-members");
		QuestionnaireResponse response = TestResources.testResponse("test-members", "two-members");
		ScoreSheet expected = ENGINE.score(members, response);

		List<ScoreSheet> sheets = IntStream.range(0, 2000)
				.parallel()
				.mapToObj((i) -> ENGINE.score(members, response))
				.toList();

		assertThat(sheets).containsOnly(expected);
	}

	private static ScoreSheet score(String id, String scenario) {
		return ENGINE.score(TestResources.testQuestionnaire(id), TestResources.testResponse(id, scenario));
	}
}
