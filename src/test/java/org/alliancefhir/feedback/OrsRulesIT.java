package org.alliancefhir.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.List;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

/**
 * The ORS rules of {@code profiles/PlanDefinition-ors-feedback.json} at their boundaries: reliable deterioration at 5
 * points below intake (not at 4), no reliable improvement from the third session on (not at the second), adults only,
 * routine Tasks without a banner Flag.
 */
class OrsRulesIT extends FeedbackIntegrationTest {

	private static final String DETERIORATION = "alert-reliable-deterioration";
	private static final String NO_IMPROVEMENT = "alert-no-reliable-improvement";

	@Test
	void anAdultIsReliablyWorseFromFivePointsBelowIntakeUntilALaterSessionIsNot() {
		String adult = patient("1980-06-01");
		create(ors(adult, day(0), 30.0));
		create(ors(adult, day(1), 26.0));
		assertThat(alerts(adult, DETERIORATION)).isEmpty();

		create(ors(adult, day(2), 25.0));
		assertThat(alerts(adult, DETERIORATION)).containsExactly("25.0 requested routine");

		create(ors(adult, day(3), 26.0));
		assertThat(alerts(adult, DETERIORATION)).containsExactly("25.0 cancelled routine");
		assertThat(flags(adult)).isEmpty();
	}

	@Test
	void aYoungClientGetsNoDeteriorationAlertSinceTheYouthIndexIsUnconfirmed() {
		String adolescent = patient("2011-06-01");
		create(ors(adolescent, day(0), 30.0));
		create(ors(adolescent, day(1), 20.0));

		assertThat(alerts(adolescent, DETERIORATION)).isEmpty();
		assertThat(alerts(adolescent, NO_IMPROVEMENT)).isEmpty();
	}

	@Test
	void noReliableImprovementPromptsFromTheThirdSessionOnOneAlertAtATime() {
		String adult = patient("1980-06-01");
		create(ors(adult, day(0), 20.0));
		create(ors(adult, day(1), 22.0));
		assertThat(alerts(adult, NO_IMPROVEMENT)).as("session 2").isEmpty();

		create(ors(adult, day(2), 24.9));
		assertThat(alerts(adult, NO_IMPROVEMENT)).as("session 3").containsExactly("24.9 requested routine");

		create(ors(adult, day(3), 21.0));
		assertThat(alerts(adult, NO_IMPROVEMENT))
				.as("session 4 replaces session 3")
				.containsExactly("24.9 cancelled routine", "21.0 requested routine");

		create(ors(adult, day(4), 25.0));
		assertThat(alerts(adult, NO_IMPROVEMENT))
				.as("session 5 improved by 5")
				.containsExactly("24.9 cancelled routine", "21.0 cancelled routine");
		assertThat(flags(adult)).isEmpty();
	}

	@Test
	void aReliableDeteriorationIsNotAlsoReportedAsNoImprovement() {
		String adult = patient("1980-06-01");
		create(ors(adult, day(0), 30.0));
		create(ors(adult, day(1), 30.0));
		create(ors(adult, day(2), 24.0));

		assertThat(alerts(adult, DETERIORATION)).containsExactly("24.0 requested routine");
		assertThat(alerts(adult, NO_IMPROVEMENT)).isEmpty();
	}

	@Test
	void theIntakeAlertIsNotEndedByLaterSessions() {
		String adult = patient("1980-06-01");
		create(ors(adult, day(0), 20.0));
		create(ors(adult, day(1), 21.0));

		assertThat(alerts(adult, "alert-intake-below-cut-off")).containsExactly("20.0 requested routine");
	}

	/** The alerts of one kind as "score status priority", oldest score first. */
	private List<String> alerts(String client, String code) {
		return tasks(client).stream()
				.filter(t -> code(t).equals(code))
				.sorted(Comparator.comparing(t -> client().read()
						.resource(Observation.class)
						.withUrl(t.getFocus().getReference())
						.execute()
						.getEffectiveDateTimeType()
						.getValue()))
				.map(t -> scoreValue(t.getFocus()) + " " + t.getStatus().toCode() + " "
						+ t.getPriority().toCode())
				.toList();
	}
}
