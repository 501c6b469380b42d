package org.alliancefhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A delete the scopes do not allow is refused with 403 before storage runs anything: no score cascade, no 409 naming
 * the other patient's scores and tasks, no 422 from the derived-data guard, and nothing deleted.
 */
class DeleteScopeCheckIT extends SecuredServerIntegrationTest {

	private static String patient;
	private static String otherResponse;
	private static List<String> otherDerived;

	@BeforeAll
	static void anotherPatientsScoredResponse() {
		patient = newPatient();
		String otherPatient = newPatient();
		otherResponse = storedResponse(otherPatient);
		otherDerived =
				search("Observation?derived-from=QuestionnaireResponse/" + otherResponse, systemToken())
						.getEntry()
						.stream()
						.map(e -> e.getResource()
								.getIdElement()
								.toUnqualifiedVersionless()
								.getValue())
						.toList();
		assertThat(otherDerived).isNotEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(
			strings = {
				"patient/QuestionnaireResponse.write",
				"patient/QuestionnaireResponse.cruds",
				"patient/*.*",
				"patient/QuestionnaireResponse.d"
			})
	void deletingAnotherPatientsResponseIsRefusedBeforeItsScoresAreTouched(String scopes) {
		HttpResponse<String> response =
				delete("/QuestionnaireResponse/" + otherResponse, patientToken(patient, scopes));

		assertRefusedWithoutDerivedIds(response, "QuestionnaireResponse");
		assertStillThere();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = {"patient/Observation.write", "patient/Observation.cruds", "patient/*.*"})
	void deletingAnotherPatientsScoreIsRefusedWith403(String scopes) {
		String score = otherDerived.get(0);

		HttpResponse<String> response = delete("/" + score, patientToken(patient, scopes));

		assertRefusedWithoutDerivedIds(response, "Observation");
		assertStillThere();
	}

	@Test
	void deletingAnotherPatientsResponseInATransactionIsRefusedAlike() {
		Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		transaction
				.addEntry()
				.getRequest()
				.setMethod(Bundle.HTTPVerb.DELETE)
				.setUrl("QuestionnaireResponse/" + otherResponse);

		HttpResponse<String> response = post("", transaction, patientToken(patient, "patient/*.*"));

		assertRefusedWithoutDerivedIds(response, "QuestionnaireResponse");
		assertStillThere();
	}

	@Test
	void deletingAMissingResourceIsLeftToStorage() {
		HttpResponse<String> response =
				delete("/QuestionnaireResponse/never-stored", patientToken(patient, "patient/QuestionnaireResponse.d"));

		assertThat(response.statusCode()).as(response.body()).isNotEqualTo(403).isLessThan(500);
	}

	private static void assertRefusedWithoutDerivedIds(HttpResponse<String> response, String type) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
		assertThat(outcome(response).getIssueFirstRep().getDiagnostics())
				.isEqualTo("Insufficient scope: the access token's scopes do not allow this " + type + " delete");
		for (String derived : otherDerived) {
			assertThat(response.body()).doesNotContain(derived);
		}
		assertThat(response.body()).doesNotContain("Task/");
	}

	private static void assertStillThere() {
		assertThat(get("/QuestionnaireResponse/" + otherResponse, systemToken()).statusCode())
				.isEqualTo(200);
		for (String derived : otherDerived) {
			Resource stored = parse(org.hl7.fhir.r4.model.Observation.class, get("/" + derived, systemToken()));
			assertThat(stored.getIdElement().getIdPart()).isNotBlank();
		}
	}
}
