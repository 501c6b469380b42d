package org.alliancefhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Conditional creates, updates, patches and deletes, and conditional references, give the same answer whatever their
 * search matches unless the token may search it: a patient app never gets another patient's response or score back,
 * nor learns from a status code how many of their resources match; each refusal is audited.
 */
class ConditionalRequestIT extends SecuredServerIntegrationTest {

	private static final String NO_SUCH_ID = "no-such-resource";

	private static String patient;
	private static String otherPatient;
	private static String otherResponse;
	private static String otherScore;

	@BeforeAll
	static void twoPatientsAndTheOthersResponseAndScore() {
		patient = newPatient();
		otherPatient = newPatient();
		otherResponse = storedResponse(otherPatient);
		otherScore = search("Observation?derived-from=QuestionnaireResponse/" + otherResponse, systemToken())
				.getEntryFirstRep()
				.getResource()
				.getIdElement()
				.getIdPart();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(
			strings = {
				"patient/QuestionnaireResponse.c",
				"patient/QuestionnaireResponse.write",
				"patient/QuestionnaireResponse.cr",
				"patient/QuestionnaireResponse.crs",
				"user/QuestionnaireResponse.c",
				"user/QuestionnaireResponse.write",
				"user/QuestionnaireResponse.cr"
			})
	void aConditionalCreateOfAResponseNeverAnswersWithAnotherPatientsResponse(String scopes) {
		String token = patientToken(patient, scopes);
		int before = responsesOf(patient);

		HttpResponse<String> matching = conditionalCreate(
				"/QuestionnaireResponse",
				srsResponse(patient, patient),
				"QuestionnaireResponse?_id=" + otherResponse,
				token);
		HttpResponse<String> typeless = conditionalCreate(
				"/QuestionnaireResponse", srsResponse(patient, patient), "_id=" + otherResponse, token);
		HttpResponse<String> matchingNothing = conditionalCreate(
				"/QuestionnaireResponse",
				srsResponse(patient, patient),
				"QuestionnaireResponse?_id=" + NO_SUCH_ID,
				token);

		assertRefusedAlike(matching, matchingNothing);
		assertRefusedAlike(typeless, matchingNothing);
		assertThat(responsesOf(patient)).isEqualTo(before);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(
			strings = {
				"patient/Observation.c",
				"patient/Observation.write",
				"patient/Observation.cud",
				"user/Observation.c"
			})
	void aConditionalCreateOfAnObservationNeverAnswersWithAnotherPatientsScore(String scopes) {
		String token = patientToken(patient, scopes);

		HttpResponse<String> matching =
				conditionalCreate("/Observation", observationAbout(patient), "Observation?_id=" + otherScore, token);
		HttpResponse<String> matchingNothing =
				conditionalCreate("/Observation", observationAbout(patient), "Observation?_id=" + NO_SUCH_ID, token);

		assertRefusedAlike(matching, matchingNothing);
	}

	@Test
	void aPatientAppThatMaySearchItsResponsesCreatesConditionallyWithinItsPatientAndTheMatchIsAudited() {
		String token = patientToken(patient, "patient/QuestionnaireResponse.crs");
		String own = storedResponse(patient);
		int before = responsesOf(patient);

		HttpResponse<String> found = conditionalCreate(
				"/QuestionnaireResponse",
				srsResponse(patient, patient),
				"QuestionnaireResponse?subject=Patient/" + patient + "&_id=" + own,
				token);

		assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
		assertThat(parse(QuestionnaireResponse.class, found).getIdElement().getIdPart())
				.isEqualTo(own);
		assertThat(responsesOf(patient)).isEqualTo(before);
		List<AuditEvent> reads =
				auditEvents("entity=QuestionnaireResponse/" + own + "&action=R&altid=parent-of-" + patient);
		assertThat(reads).hasSize(1);
		assertThat(reads.get(0).getSubtypeFirstRep().getCode()).isEqualTo("create");
	}

	@Test
	void aConditionalCreateNamingAnotherPatientAsWellIsRefused() {
		String token = patientToken(patient, "patient/QuestionnaireResponse.crs");

		HttpResponse<String> response = conditionalCreate(
				"/QuestionnaireResponse",
				srsResponse(patient, patient),
				"QuestionnaireResponse?subject=Patient/" + patient + ",Patient/" + otherPatient,
				token);

		assertForbidden(response);
	}

	@Test
	void staffWhoMaySearchAllResponsesGetTheMatchOfAConditionalCreate() {
		String token = keys().rs256(TestKeys.claims("therapist-3", "user/QuestionnaireResponse.crs")
				.build());

		HttpResponse<String> found = conditionalCreate(
				"/QuestionnaireResponse",
				srsResponse(otherPatient, otherPatient),
				"QuestionnaireResponse?_id=" + otherResponse,
				token);

		assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
		assertThat(parse(QuestionnaireResponse.class, found).getIdElement().getIdPart())
				.isEqualTo(otherResponse);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(
			strings = {"patient/Observation.write", "patient/Observation.cruds", "patient/Observation.*", "patient/*.*"
			})
	void aConditionalUpdateOfObservationsIsNoOracleOnAnotherPatientsScores(String scopes) {
		String token = patientToken(patient, scopes);
		String others = "Observation?subject=Patient/" + otherPatient;

		HttpResponse<String> one = put("/" + others + "&_id=" + otherScore, observationAbout(patient), token);
		HttpResponse<String> none = put("/" + others + "&_id=" + NO_SUCH_ID, observationAbout(patient), token);
		HttpResponse<String> several = put("/" + others + "&status=final", observationAbout(patient), token);
		HttpResponse<String> byIdOnly = put("/Observation?_id=" + otherScore, observationAbout(patient), token);

		assertRefusedAlike(one, none);
		assertRefusedAlike(several, none);
		assertRefusedAlike(byIdOnly, none);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = {"patient/QuestionnaireResponse.write", "patient/QuestionnaireResponse.cruds"})
	void aConditionalUpdateOfResponsesIsNoOracleOnAnotherPatientsResponses(String scopes) {
		String token = patientToken(patient, scopes);
		String others = "QuestionnaireResponse?subject=Patient/" + otherPatient;

		HttpResponse<String> one = put("/" + others + "&_id=" + otherResponse, srsResponse(patient, patient), token);
		HttpResponse<String> none = put("/" + others + "&_id=" + NO_SUCH_ID, srsResponse(patient, patient), token);

		assertRefusedAlike(one, none);
	}

	@ParameterizedTest(name = "{0} {1}")
	@ValueSource(
			strings = {
				"patient/QuestionnaireResponse.write QuestionnaireResponse",
				"patient/QuestionnaireResponse.cruds QuestionnaireResponse",
				"patient/Observation.write Observation",
				"patient/Observation.cruds Observation"
			})
	void aConditionalPatchIsNoOracleOnAnotherPatientsData(String scopeAndType) {
		String[] parts = scopeAndType.split(" ");
		String token = patientToken(patient, parts[0]);
		String existing = parts[1].equals("Observation") ? otherScore : otherResponse;
		String others = "/" + parts[1] + "?subject=Patient/" + otherPatient;

		HttpResponse<String> one = patch(others + "&_id=" + existing, token);
		HttpResponse<String> none = patch(others + "&_id=" + NO_SUCH_ID, token);

		assertRefusedAlike(one, none);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(
			strings = {
				"patient/QuestionnaireResponse.write QuestionnaireResponse",
				"patient/QuestionnaireResponse.cruds QuestionnaireResponse",
				"patient/Observation.write Observation",
				"user/QuestionnaireResponse.d QuestionnaireResponse"
			})
	void aConditionalDeleteIsNoOracleOnAnotherPatientsDataAndDeletesNothing(String scopeAndType) {
		String[] parts = scopeAndType.split(" ");
		String token = patientToken(patient, parts[0]);
		String existing = parts[1].equals("Observation") ? otherScore : otherResponse;
		String others = "/" + parts[1] + "?subject=Patient/" + otherPatient;

		HttpResponse<String> one = delete(others + "&_id=" + existing, token);
		HttpResponse<String> none = delete(others + "&_id=" + NO_SUCH_ID, token);

		assertRefusedAlike(one, none);
		assertThat(get("/" + parts[1] + "/" + existing, systemToken()).statusCode())
				.isEqualTo(200);
	}

	@Test
	void aPatientAppUpdatesConditionallyWithinItsOwnPatient() {
		String token = patientToken(patient, "patient/QuestionnaireResponse.rus");
		String own = storedResponse(patient);
		QuestionnaireResponse amended = parse(QuestionnaireResponse.class, get("/QuestionnaireResponse/" + own, token));
		amended.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.AMENDED);

		HttpResponse<String> updated =
				put("/QuestionnaireResponse?subject=Patient/" + patient + "&_id=" + own, amended, token);

		assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = {"TRANSACTION", "BATCH"})
	void conditionalEntriesOfTransactionsAndBatchesAreJudgedAlike(String type) {
		String token = patientToken(patient, "patient/QuestionnaireResponse.write patient/Observation.write");
		Bundle bundle = new Bundle().setType(Bundle.BundleType.valueOf(type));
		bundle.addEntry()
				.setFullUrl("urn:uuid:" + UUID.randomUUID())
				.setResource(srsResponse(patient, patient))
				.getRequest()
				.setMethod(Bundle.HTTPVerb.POST)
				.setUrl("QuestionnaireResponse")
				.setIfNoneExist("QuestionnaireResponse?_id=" + otherResponse);
		Bundle updating = new Bundle().setType(Bundle.BundleType.valueOf(type));
		updating.addEntry()
				.setResource(observationAbout(patient))
				.getRequest()
				.setMethod(Bundle.HTTPVerb.PUT)
				.setUrl("Observation?subject=Patient/" + otherPatient + "&_id=" + otherScore);

		assertForbiddenWithoutForeignData(post("", bundle, token));
		assertForbiddenWithoutForeignData(post("", updating, token));
		assertThat(get("/QuestionnaireResponse/" + otherResponse, systemToken()).statusCode())
				.isEqualTo(200);
	}

	@Test
	void aConditionalReferenceToAnotherPatientIsRefusedWhateverItMatches() {
		String token = patientToken(patient, "patient/QuestionnaireResponse.c");
		QuestionnaireResponse existing = srsResponse(patient, patient);
		existing.setAuthor(new Reference("Patient?_id=" + otherPatient));
		QuestionnaireResponse missing = srsResponse(patient, patient);
		missing.setAuthor(new Reference("Patient?_id=" + NO_SUCH_ID));

		assertRefusedAlike(
				post("/QuestionnaireResponse", existing, token), post("/QuestionnaireResponse", missing, token));
	}

	@Test
	void aRefusedConditionalCreateIsAuditedAsAFailure() {
		String scopes = "patient/QuestionnaireResponse.c";
		String auditedPatient = newPatient();

		assertForbidden(conditionalCreate(
				"/QuestionnaireResponse",
				srsResponse(auditedPatient, auditedPatient),
				"QuestionnaireResponse?_id=" + otherResponse,
				patientToken(auditedPatient, scopes)));

		List<AuditEvent> refusals = auditEvents("altid=parent-of-" + auditedPatient + "&outcome=4");
		assertThat(refusals).hasSize(1);
		assertThat(refusals.get(0).getAction()).isEqualTo(AuditEvent.AuditEventAction.C);
	}

	private static HttpResponse<String> conditionalCreate(
			String path, org.hl7.fhir.instance.model.api.IBaseResource body, String ifNoneExist, String token) {
		return send(request(path, token)
				.header("Content-Type", "application/fhir+json")
				.header("If-None-Exist", ifNoneExist)
				.POST(HttpRequest.BodyPublishers.ofString(json(body))));
	}

	private static HttpResponse<String> patch(String path, String token) {
		String operations = "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"entered-in-error\"}]";
		return send(request(path, token)
				.header("Content-Type", "application/json-patch+json")
				.method("PATCH", HttpRequest.BodyPublishers.ofString(operations)));
	}

	private static Observation observationAbout(String subject) {
		Observation observation = new Observation();
		observation.setStatus(Observation.ObservationStatus.FINAL);
		observation.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
		observation.setSubject(new Reference("Patient/" + subject));
		return observation;
	}

	private static int responsesOf(String patientId) {
		return search("QuestionnaireResponse?subject=Patient/" + patientId + "&_summary=count", systemToken())
				.getTotal();
	}

	private static List<AuditEvent> auditEvents(String query) {
		return search("AuditEvent?" + query, systemToken()).getEntry().stream()
				.map(e -> (AuditEvent) e.getResource())
				.toList();
	}

	/** Both refused with the same 403 and the same OperationOutcome, neither naming the other patient's data. */
	private static void assertRefusedAlike(HttpResponse<String> oneResponse, HttpResponse<String> other) {
		assertForbiddenWithoutForeignData(oneResponse);
		assertForbiddenWithoutForeignData(other);
		assertThat(outcome(oneResponse).getIssueFirstRep().getDiagnostics())
				.isEqualTo(outcome(other).getIssueFirstRep().getDiagnostics());
	}

	private static void assertForbiddenWithoutForeignData(HttpResponse<String> response) {
		assertForbidden(response);
		assertThat(response.body()).doesNotContain(otherPatient, otherResponse, otherScore);
	}

	private static void assertForbidden(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
		assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
				.startsWith("Bearer error=\"insufficient_scope\"");
		assertThat(outcome(response).getIssueFirstRep().getDiagnostics()).startsWith("Insufficient scope");
	}
}
