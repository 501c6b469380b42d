package org.alliancefhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The audit trail names other patients and staff, so only {@code user/} or {@code system/} scopes covering AuditEvent
 * read it: patient apps can neither search it nor bring it in through {@code _revinclude} or {@code _include}.
 */
class AuditTrailAccessIT extends SecuredServerIntegrationTest {

	private static final String STAFF = "therapist-audit-access";

	private static String patient;

	@BeforeAll
	static void aPatientWhoseDataStaffHaveRead() {
		patient = newPatient();
		String response = storedResponse(patient);
		String staff = keys().rs256(TestKeys.claims(STAFF, "user/*.rs").build());
		assertThat(get("/QuestionnaireResponse/" + response, staff).statusCode())
				.isEqualTo(200);
		assertThat(search("AuditEvent?patient=Patient/" + patient, systemToken())
						.getEntry())
				.isNotEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = {"patient/*.read", "patient/*.rs", "patient/AuditEvent.read", "patient/*.*"})
	void aPatientAppCannotSearchOrReadTheAuditTrailOfItsOwnPatient(String scopes) {
		String token = patientToken(patient, scopes);
		String event = search("AuditEvent?patient=Patient/" + patient, systemToken())
				.getEntryFirstRep()
				.getResource()
				.getIdElement()
				.getIdPart();

		assertForbiddenWithoutAuditData(get("/AuditEvent?patient=Patient/" + patient, token));
		assertForbiddenWithoutAuditData(get("/AuditEvent/" + event, token));
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = {"_revinclude=*", "_revinclude=AuditEvent:patient", "_revinclude=AuditEvent:entity"})
	void revincludesDoNotBringTheAuditTrailToAPatientApp(String include) {
		String token = patientToken(patient, "patient/*.read");

		HttpResponse<String> response = get("/Patient?_id=" + patient + "&" + include, token);

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		Bundle bundle = parse(Bundle.class, response);
		assertThat(bundle.getEntry())
				.extracting(e -> e.getResource().fhirType())
				.contains("Patient")
				.doesNotContain("AuditEvent");
		assertThat(response.body()).doesNotContain("\"resourceType\":\"AuditEvent\"", STAFF);
	}

	@Test
	void anIncludeFromAnAuditEventIsRefusedToAPatientApp() {
		String token = patientToken(patient, "patient/*.read");

		assertForbiddenWithoutAuditData(get("/AuditEvent?patient=Patient/" + patient + "&_include=*", token));
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = {"user/AuditEvent.rs", "user/AuditEvent.read", "user/*.read", "system/AuditEvent.s"})
	void auditorsWithUserOrSystemScopesSearchTheAuditTrail(String scopes) {
		String token = keys().rs256(TestKeys.claims("auditor", scopes).build());

		assertThat(search("AuditEvent?patient=Patient/" + patient, token).getEntry())
				.isNotEmpty();
	}

	@Test
	void aUserScopeForOtherTypesDoesNotReachTheAuditTrail() {
		String token = keys().rs256(
						TestKeys.claims("therapist-2", "user/Observation.rs").build());

		assertForbiddenWithoutAuditData(get("/AuditEvent?patient=Patient/" + patient, token));
	}

	private static void assertForbiddenWithoutAuditData(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
		assertThat(outcome(response).getIssueFirstRep().getDiagnostics()).startsWith("Insufficient scope");
		assertThat(response.body()).doesNotContain(STAFF);
	}
}
