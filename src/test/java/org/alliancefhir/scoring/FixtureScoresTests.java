package org.alliancefhir.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.alliancefhir.fixtures.ExpectedScore;
import org.alliancefhir.fixtures.FixtureSet;
import org.assertj.core.api.SoftAssertions;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks every row of every {@code fixtures/<id>/expected-scores.csv} against the engine, using
 * {@code profiles/Questionnaire-<id>.json}; the engine's own test instruments under {@code scoring/} are checked the
 * same way. A new instrument needs fixtures, not test code.
 */
class FixtureScoresTests {

	private static final ScoringEngine ENGINE = new ScoringEngine();

	private static final Map<String, Questionnaire> QUESTIONNAIRES = new ConcurrentHashMap<>();

	static List<FixtureSet> fixtureSets() {
		return Stream.concat(
						FixtureSet.under("fixtures", "profiles").stream(),
						FixtureSet.under("scoring/fixtures", "scoring").stream())
				.toList();
	}

	static Stream<Arguments> scenarios() {
		return fixtureSets().stream()
				.flatMap((set) -> set.scenarios().stream().map((scenario) -> Arguments.of(set, scenario)));
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("scenarios")
	void scoresEachResponseAsExpectedScoresSays(FixtureSet set, String scenario) throws IOException {
		Questionnaire questionnaire =
				QUESTIONNAIRES.computeIfAbsent(set.questionnairePath(), TestResources::questionnaire);
		QuestionnaireResponse response = TestResources.FHIR
				.newJsonParser()
				.parseResource(QuestionnaireResponse.class, Files.readString(set.response(scenario)));
		ScoreSheet sheet = ENGINE.score(questionnaire, response);
		List<ExpectedScore> rows = set.rows(scenario);

		SoftAssertions softly = new SoftAssertions();
		softly.assertThat(response.getQuestionnaire())
				.as("QuestionnaireResponse.questionnaire")
				.isEqualTo(questionnaire.getUrl() + "|" + questionnaire.getVersion());
		softly.assertThat(rows)
				.as("rows for %s in expected-scores.csv", scenario)
				.isNotEmpty();
		for (ExpectedScore row : rows) {
			Optional<Score> score = sheet.find(row.linkId(), row.groupInstancePath());
			softly.assertThat(score)
					.as("%s is a score of the response", row.key())
					.isPresent();
			score.ifPresent((actual) ->
					softly.assertThat(show(actual.value())).as(row.key()).isEqualTo(show(row.expected())));
		}
		for (Score score : sheet.scores()) {
			softly.assertThat(rows)
					.as(
							"expected-scores.csv has a row for %s %s %s",
							scenario, score.linkId(), score.groupInstancePath())
					.anyMatch((row) -> row.linkId().equals(score.linkId())
							&& row.groupInstancePath().equals(score.groupInstancePath()));
		}
		softly.assertAll();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("fixtureSets")
	void everyExpectedScoreRowNamesAResponse(FixtureSet set) {
		List<String> scenarios = set.scenarios();
		assertThat(set.rows())
				.as("expected-scores.csv of %s", set.id())
				.isNotEmpty()
				.allSatisfy((row) -> assertThat(scenarios).as(row.key()).contains(row.fixture()));
	}

	/** Numbers compare by value: 36 and 36.0 are the same score. */
	private static String show(Optional<BigDecimal> value) {
		return value.map((number) -> number.stripTrailingZeros().toPlainString())
				.orElse("(no score)");
	}
}
