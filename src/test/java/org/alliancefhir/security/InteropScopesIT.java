package org.alliancefhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * With an issuer configured, the CDS Hooks services and Bulk Data export give nothing to callers without a token,
 * and only what the token's scopes allow: CDS reads with the caller's token, {@code $export} needs a
 * {@code system/} read scope.
 */
class InteropScopesIT extends SecuredServerIntegrationTest {

	@Test
	void aCdsCallWithoutATokenIsRefused() {
		HttpResponse<String> response = cds(cdsRequest("p-" + UUID.randomUUID(), null), null);

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.body()).doesNotContain("cards");
	}

	@Test
	void aCdsCallSeesTheAlertsItsTokenMayRead() throws Exception {
		String patient = newPatient();
		storedResponse(patient); // the SRS fixture is below 36: an urgent alert
		awaitAlert(patient);

		HttpResponse<String> response = cds(cdsRequest(patient, null), systemToken());

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.body()).contains("\"indicator\":\"critical\"");
	}

	@Test
	void aCdsCallWithAnotherPatientsTokenIsRefused() {
		String patient = newPatient();
		String other = newPatient();

		HttpResponse<String> response = cds(cdsRequest(patient, patientToken(other, "patient/*.read")), null);

		assertThat(response.statusCode()).isEqualTo(403);
	}

	@Test
	void exportNeedsASystemReadScope() {
		String kickOff = "/$export?_type=QuestionnaireResponse";

		assertThat(export(kickOff, null).statusCode()).isEqualTo(401);
		assertThat(export(
								kickOff,
								keys().rs256(TestKeys.claims("staff-app", "user/*.read")
										.build()))
						.statusCode())
				.isEqualTo(403);
		assertThat(export(kickOff, patientToken(newPatient(), "patient/*.read")).statusCode())
				.isEqualTo(403);
		assertThat(export(
								"/$export?_type=Observation",
								keys().rs256(TestKeys.claims("registry", "system/QuestionnaireResponse.read")
										.build()))
						.statusCode())
				.isEqualTo(403);
	}

	@Test
	void aBackendServiceExportsAndDownloadsWithItsSystemToken() throws Exception {
		String token = keys().rs256(TestKeys.claims("registry", "system/*.read").build());
		HttpResponse<String> accepted = export("/$export?_type=QuestionnaireResponse", token);
		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
		URI status =
				URI.create(accepted.headers().firstValue("Content-Location").orElseThrow());

		Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
		HttpResponse<String> poll;
		do {
			Thread.sleep(500);
			poll = send(HttpRequest.newBuilder(status).header("Authorization", "Bearer " + token));
		} while (poll.statusCode() == 202 && Instant.now().isBefore(deadline));

		assertThat(poll.statusCode()).as(poll.body()).isEqualTo(200);
		assertThat(send(HttpRequest.newBuilder(status)).statusCode()).isEqualTo(401);
	}

	private static HttpResponse<String> export(String path, String token) {
		HttpRequest.Builder request = request(path, token).header("Prefer", "respond-async");
		return send(request.GET());
	}

	private static HttpResponse<String> cds(String body, String token) {
		HttpRequest.Builder request = HttpRequest.newBuilder(
						URI.create("http://localhost:" + secured.server.port() + "/cds-services/alliance-patient-view"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return send(request);
	}

	private static String cdsRequest(String patient, String fhirToken) {
		String authorization = fhirToken == null
				? ""
				: ", \"fhirAuthorization\": {\"access_token\": \"" + fhirToken
						+ "\", \"token_type\": \"Bearer\", \"expires_in\": 300, \"scope\": \"patient/*.read\", \"subject\": \"ehr\"}";
		return "{\"hookInstance\": \"" + UUID.randomUUID() + "\", \"hook\": \"patient-view\", \"context\": {"
				+ "\"userId\": \"Practitioner/example\", \"patientId\": \"" + patient + "\"}" + authorization + "}";
	}
}
