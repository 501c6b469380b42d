package org.alliancefhir.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;
import org.junit.jupiter.api.Test;

/**
 * Compares scores a client sent in its response with the server's.
 */
class ClientScoresTests {

	private static final ScoringEngine ENGINE = new ScoringEngine();

	private final Questionnaire vas = TestResources.testQuestionnaire("test-vas");

	@Test
	void agreesWhenTheClientSentTheSameNumberInAnotherScale() {
		QuestionnaireResponse response = TestResources.testResponse("test-vas", "decimal-sum");
		QuestionnaireResponseItemComponent total = addScore(response.getItem(), "total", new IntegerType(36));
		addScore(total.getAnswerFirstRep().getItem(), "c1", new DecimalType("8.60"));

		assertThat(discrepancies(this.vas, response)).isEmpty();
	}

	@Test
	void reportsATotalThatDiffers() {
		QuestionnaireResponse response = TestResources.testResponse("test-vas", "decimal-sum");
		addScore(response.getItem(), "total", new DecimalType("35.99999999999999"));

		assertThat(discrepancies(this.vas, response))
				.containsExactly(new ScoreDiscrepancy(
						"total", List.of(), "35.99999999999999", Optional.of(new BigDecimal("36.0"))));
	}

	@Test
	void reportsANestedComponentThatDiffers() {
		QuestionnaireResponse response = TestResources.testResponse("test-vas", "decimal-sum");
		QuestionnaireResponseItemComponent total = addScore(response.getItem(), "total", new DecimalType("36.0"));
		addScore(total.getAnswerFirstRep().getItem(), "c3", new DecimalType("9"));

		assertThat(discrepancies(this.vas, response))
				.extracting(ScoreDiscrepancy::linkId)
				.containsExactly("c3");
	}

	@Test
	void reportsAClientScoreWhereTheServerHasNone() {
		QuestionnaireResponse response = TestResources.testResponse("test-vas", "one-item-missing");
		addScore(response.getItem(), "total", new DecimalType("26.3"));

		assertThat(discrepancies(this.vas, response))
				.containsExactly(new ScoreDiscrepancy("total", List.of(), "26.3", Optional.empty()));
	}

	@Test
	void reportsANonNumericClientScore() {
		QuestionnaireResponse response = TestResources.testResponse("test-vas", "decimal-sum");
		addScore(response.getItem(), "total", new StringType("high"));

		assertThat(discrepancies(this.vas, response))
				.extracting(ScoreDiscrepancy::clientValue)
				.containsExactly("high");
	}

	@Test
	void reportsAMemberScoreWithItsGroupInstance() {
		Questionnaire members = TestResources.testQuestionnaire("test-members");
		QuestionnaireResponse response = TestResources.testResponse("test-members", "two-members");
		addScore(response.getItem().get(0).getItem(), "rating-score", new DecimalType("1.0"));
		addScore(response.getItem().get(1).getItem(), "rating-score", new DecimalType("0.5"));

		assertThat(discrepancies(members, response))
				.containsExactly(
						new ScoreDiscrepancy("rating-score", List.of(1), "0.5", Optional.of(new BigDecimal("-0.5"))));
	}

	private static List<ScoreDiscrepancy> discrepancies(Questionnaire questionnaire, QuestionnaireResponse response) {
		return ENGINE.compareClientScores(questionnaire, response, ENGINE.score(questionnaire, response));
	}

	private static QuestionnaireResponseItemComponent addScore(
			List<QuestionnaireResponseItemComponent> items, String linkId, Type value) {
		QuestionnaireResponseItemComponent item = new QuestionnaireResponseItemComponent().setLinkId(linkId);
		item.addAnswer().setValue(value);
		items.add(item);
		return item;
	}
}
