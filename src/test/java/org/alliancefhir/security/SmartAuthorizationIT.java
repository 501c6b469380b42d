package org.alliancefhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SMART scopes decide what a token may do: patient apps stay inside their patient's compartment, the server still
 * derives scores for a response-only app, user and system scopes reach all data, and 403s say why.
 */
class SmartAuthorizationIT extends SecuredServerIntegrationTest {

	private static final String WRITE_RESPONSES_ONLY = "patient/QuestionnaireResponse.c";

	private static String patient;
	private static String otherPatient;
	private static String otherPatientsResponse;

	@BeforeAll
	static void twoPatientsWithResponses() {
		patient = newPatient();
		otherPatient = newPatient();
		otherPatientsResponse = storedResponse(otherPatient);
	}

	@Test
	void aPatientAppThatMayOnlyCreateResponsesStoresOneAndTheServerStillDerivesItsScore() {
		HttpResponse<String> created = post(
				"/QuestionnaireResponse", srsResponse(patient, patient), patientToken(patient, WRITE_RESPONSES_ONLY));

		assertThat(created.statusCode()).isEqualTo(201);
		List<Observation> scores = scoresOf(idFromLocation(created));
		assertThat(scores).hasSize(1);
		assertThat(scores.get(0).getSubject().getReference()).isEqualTo("Patient/" + patient);
	}

	@Test
	void aPatientAppCannotStoreAResponseAboutAnotherPatient() {
		HttpResponse<String> response = post(
				"/QuestionnaireResponse",
				srsResponse(otherPatient, otherPatient),
				patientToken(patient, WRITE_RESPONSES_ONLY));

		assertForbidden(response);
	}

	@Test
	void aPatientAppCannotStoreAResponseAboutAnotherPatientByNamingItsPatientAsAuthor() {
		HttpResponse<String> response = post(
				"/QuestionnaireResponse",
				srsResponse(otherPatient, patient),
				patientToken(patient, "patient/QuestionnaireResponse.cruds"));

		assertForbidden(response);
	}

	@Test
	void aPatientAppCannotReadAnotherPatientsResponseOrScores() {
		String token = patientToken(patient, "patient/*.read");
		String otherScore = scoresOf(otherPatientsResponse).get(0).getIdPart();

		assertForbidden(get("/QuestionnaireResponse/" + otherPatientsResponse, token));
		assertForbidden(get("/Observation/" + otherScore, token));
		assertForbidden(get("/QuestionnaireResponse?subject=Patient/" + otherPatient, token));
	}

	@Test
	void aPatientAppReadsAndSearchesItsOwnPatientsData() {
		String own = storedResponse(patient);
		String token = patientToken(patient, "patient/*.read");

		assertThat(get("/QuestionnaireResponse/" + own, token).statusCode()).isEqualTo(200);
		Bundle scores = search("Observation?subject=Patient/" + patient, token);
		assertThat(scores.getEntry()).isNotEmpty();
		assertThat(get("/Patient/" + patient, token).statusCode()).isEqualTo(200);
	}

	@Test
	void aPatientAppReadsTasksForItsPatientButNotForOthers() {
		String token = patientToken(patient, "patient/Task.rs");

		assertThat(get("/Task/" + taskFor(patient), token).statusCode()).isEqualTo(200);
		assertForbidden(get("/Task/" + taskFor(otherPatient), token));
	}

	@Test
	void aPatientAppReadsThePublishedQuestionnaires() {
		String token = patientToken(patient, "patient/*.read");

		assertThat(get("/Questionnaire/srs", token).statusCode()).isEqualTo(200);
	}

	@Test
	void aScopeForResponsesDoesNotGrantReadingObservations() {
		String own = storedResponse(patient);
		String token = patientToken(patient, "patient/QuestionnaireResponse.cr");

		assertThat(get("/QuestionnaireResponse/" + own, token).statusCode()).isEqualTo(200);
		assertForbidden(get("/Observation?subject=Patient/" + patient, token));
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(
			strings = {
				"patient/QuestionnaireResponse.read patient/QuestionnaireResponse.write",
				"patient/QuestionnaireResponse.cruds",
				"patient/*.* launch/patient openid fhirUser"
			})
	void v1AndV2ScopesGrantTheSameAccess(String scopes) {
		String token = patientToken(patient, scopes);

		HttpResponse<String> created = post("/QuestionnaireResponse", srsResponse(patient, patient), token);
		assertThat(created.statusCode()).isEqualTo(201);
		String id = idFromLocation(created);
		assertThat(get("/QuestionnaireResponse/" + id, token).statusCode()).isEqualTo(200);
		assertThat(search("QuestionnaireResponse?subject=Patient/" + patient, token)
						.getEntry())
				.isNotEmpty();
		assertThat(delete("/QuestionnaireResponse/" + id, token).statusCode()).isEqualTo(200);
	}

	@Test
	void v2ReadAndSearchAreSeparatePermissions() {
		String own = storedResponse(patient);
		String readOnly = patientToken(patient, "patient/QuestionnaireResponse.r");
		String searchOnly = patientToken(patient, "patient/QuestionnaireResponse.s");

		assertThat(get("/QuestionnaireResponse/" + own, readOnly).statusCode()).isEqualTo(200);
		assertForbidden(get("/QuestionnaireResponse?subject=Patient/" + patient, readOnly));
		assertThat(get("/QuestionnaireResponse?subject=Patient/" + patient, searchOnly)
						.statusCode())
				.isEqualTo(200);
		assertForbidden(get("/QuestionnaireResponse/" + own, searchOnly));
	}

	@Test
	void anUpdateScopeDoesNotGrantCreating() {
		String token = patientToken(patient, "patient/QuestionnaireResponse.ru");

		assertForbidden(post("/QuestionnaireResponse", srsResponse(patient, patient), token));
		QuestionnaireResponse own =
				parse(QuestionnaireResponse.class, get("/QuestionnaireResponse/" + storedResponse(patient), token));
		own.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.AMENDED);
		assertThat(put("/QuestionnaireResponse/" + own.getIdPart(), own, token).statusCode())
				.isEqualTo(200);
	}

	@Test
	void aUserReadScopeReadsAllPatientsButWritesNothing() {
		String token =
				keys().rs256(TestKeys.claims("therapist-1", "user/*.read").build());

		assertThat(get("/QuestionnaireResponse/" + otherPatientsResponse, token).statusCode())
				.isEqualTo(200);
		assertThat(search("Observation?subject=Patient/" + patient, token).getEntry())
				.isNotNull();
		assertForbidden(post("/QuestionnaireResponse", srsResponse(patient, patient), token));
		assertForbidden(put("/Patient/" + patient, new Patient().setId(patient), token));
		assertForbidden(delete("/QuestionnaireResponse/" + otherPatientsResponse, token));
	}

	@Test
	void aSystemScopeCreatesReadsUpdatesSearchesAndDeletes() {
		String token = systemToken();
		Patient created = new Patient();
		created.addName().setFamily("System");

		HttpResponse<String> response = post("/Patient", created, token);
		assertThat(response.statusCode()).isEqualTo(201);
		String id = idFromLocation(response);
		Patient read = parse(Patient.class, get("/Patient/" + id, token));
		read.getNameFirstRep().setFamily("System-renamed");
		assertThat(put("/Patient/" + id, read, token).statusCode()).isEqualTo(200);
		assertThat(search("Patient?family=System-renamed", token).getEntry()).isNotEmpty();
		assertThat(delete("/Patient/" + id, token).statusCode()).isEqualTo(200);
	}

	@Test
	void noClientMayWriteTheAuditTrailNotEvenWithSystemScopes() {
		AuditEvent forged = new AuditEvent();
		forged.setAction(AuditEvent.AuditEventAction.R);
		forged.getSource().getObserver().setDisplay("forger");

		assertForbidden(post("/AuditEvent", forged, systemToken()));
	}

	@Test
	void aPatientAppGetsTheAllianceSummaryOfItsOwnPatientOnly() {
		storedResponse(patient);
		String token = patientToken(patient, "patient/*.rs");

		assertThat(get("/Patient/" + patient + "/$alliance-summary", token).statusCode())
				.isEqualTo(200);
		assertForbidden(get("/Patient/" + otherPatient + "/$alliance-summary", token));
	}

	@Test
	void aTokenWithoutResourceScopesMayOnlyReadTheCapabilityStatement() {
		String token = keys().rs256(TestKeys.claims("someone", "openid profile").build());

		assertThat(get("/metadata", token).statusCode()).isEqualTo(200);
		assertForbidden(get("/Patient/" + patient, token));
	}

	@Test
	void closingAnAlertsTaskNeedsTheScopeToWriteTasksAndThenEndsItsFlag() throws InterruptedException {
		String client = newPatient();
		storedResponse(client);
		List<Task> alerts = awaitAlert(client);
		assertThat(alerts).hasSize(1);
		Task alert = alerts.get(0);
		alert.setStatus(Task.TaskStatus.COMPLETED);
		String path = "/Task/" + alert.getIdElement().getIdPart();

		assertForbidden(put(path, alert, patientToken(client, "patient/Task.rs")));
		assertThat(flagStatuses(client)).containsExactly("active");

		assertThat(put(path, alert, patientToken(client, "patient/Task.rus")).statusCode())
				.isEqualTo(200);
		assertThat(flagStatuses(client)).containsExactly("inactive");
	}

	private static List<String> flagStatuses(String patientId) {
		return search("Flag?patient=" + patientId, systemToken()).getEntry().stream()
				.map(e -> ((org.hl7.fhir.r4.model.Flag) e.getResource())
						.getStatus()
						.toCode())
				.toList();
	}

	private static String taskFor(String patientId) {
		Task task = new Task();
		task.setStatus(Task.TaskStatus.REQUESTED);
		task.setIntent(Task.TaskIntent.ORDER);
		task.getFor().setReference("Patient/" + patientId);
		HttpResponse<String> created = post("/Task", task, systemToken());
		assertThat(created.statusCode()).isEqualTo(201);
		return idFromLocation(created);
	}

	private static List<Observation> scoresOf(String responseId) {
		return search("Observation?derived-from=QuestionnaireResponse/" + responseId, systemToken()).getEntry().stream()
				.map(e -> (Observation) e.getResource())
				.toList();
	}

	private static void assertForbidden(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
		assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
				.startsWith("Bearer error=\"insufficient_scope\"");
		assertThat(outcome(response).getIssueFirstRep().getDiagnostics()).startsWith("Insufficient scope");
	}
}
