package org.alliancefhir.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;

/**
 * Baselines per care episode and per hulpverlener (issue 17, item 4): "first" and "previous" are looked up among the
 * scores of the same episode of care and the same hulpverlener, as named by each response's encounter; without
 * them the series is the client's and respondent's as a whole.
 */
class CareRelationshipBaselineIT extends FeedbackIntegrationTest {

	@Test
	void aNewEpisodeOfCareStartsNewIntakeAndPreviousBaselines() {
		String adult = patient("1980-06-01");
		String hulpverlener = practitioner();
		String first = episode(adult);
		String second = episode(adult);
		create(at(ors(adult, day(0), 20.0), encounter(adult, hulpverlener, first)));
		create(at(ors(adult, day(1), 23.0), encounter(adult, hulpverlener, first)));
		create(at(ors(adult, day(10), 22.0), encounter(adult, hulpverlener, second)));
		create(at(ors(adult, day(11), 30.0), encounter(adult, hulpverlener, second)));

		// first episode: 23 - 20; second episode: its own intake 22, so 30 - 22 = 8 (not 30 - 20 = 10), and the
		// second episode's intake has no comparison at all
		assertThat(changes(adult, "ors-total-change-intake")).containsExactly("3 (20 → 23)", "8 (22 → 30)");
	}

	@Test
	void aChangeOfHulpverlenerRestartsTheBaselineForTheNewRelationship() {
		String client = patient("1990-01-01");
		String former = practitioner();
		String next = practitioner();
		create(at(srs(client, day(0), 30.0), encounter(client, former, null)));
		create(at(srs(client, day(1), 32.0), encounter(client, former, null)));
		create(at(srs(client, day(2), 38.0), encounter(client, next, null)));
		create(at(srs(client, day(3), 35.0), encounter(client, next, null)));
		create(at(srs(client, day(4), 31.0), encounter(client, former, null)));

		// the third session, the first with the new hulpverlener, is compared with nothing; the fifth, back with the
		// former hulpverlener, with that relationship's previous session (32), not with the day before (35)
		assertThat(changes(client, "srs-total-change")).containsExactly("2 (30 → 32)", "-3 (38 → 35)", "-1 (32 → 31)");
	}

	@Test
	void responsesWithoutEncounterKeepTheWholeSeries() {
		String client = patient("1990-01-01");
		create(srs(client, day(0), 30.0));
		create(srs(client, day(1), 34.0));

		assertThat(changes(client, "srs-total-change")).containsExactly("4 (30 → 34)");
	}

	private String episode(String patient) {
		EpisodeOfCare episode = new EpisodeOfCare();
		episode.setStatus(EpisodeOfCare.EpisodeOfCareStatus.ACTIVE);
		episode.getPatient().setReference(patient);
		return "EpisodeOfCare/" + create(episode);
	}

	private String encounter(String patient, String hulpverlener, String episode) {
		String reference = encounter(patient, hulpverlener);
		if (episode == null) {
			return reference;
		}
		Encounter encounter =
				client().read().resource(Encounter.class).withUrl(reference).execute();
		encounter.addEpisodeOfCare().setReference(episode);
		client().update().resource(encounter).execute();
		return reference;
	}

	private static QuestionnaireResponse at(QuestionnaireResponse response, String encounter) {
		response.getEncounter().setReference(encounter);
		return response;
	}

	private List<String> changes(String subject, String code) {
		return observations(subject, code).stream()
				.map(CareRelationshipBaselineIT::change)
				.toList();
	}

	private static String change(Observation comparison) {
		return comparison.getValueQuantity().getValue().stripTrailingZeros().toPlainString() + " ("
				+ component(comparison, "previous-score").stripTrailingZeros().toPlainString() + " → "
				+ component(comparison, "current-score").stripTrailingZeros().toPlainString() + ")";
	}
}
