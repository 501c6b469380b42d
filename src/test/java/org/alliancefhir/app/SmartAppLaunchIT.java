package org.alliancefhir.app;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.alliancefhir.server.LaunchedServer;
import org.junit.jupiter.api.Test;

/**
 * SMART launches of the clinician app against a server with an issuer and a small test authorization server: a
 * standalone launch authorizes with PKCE, gets a token scoped to one patient, shows that patient and cannot show
 * another; an EHR launch passes the EHR's launch on and shows the patient of its context; a launch naming another
 * FHIR server is refused.
 */
class SmartAppLaunchIT {

	@Test
	void patientScopedLaunchShowsItsPatientAndNoOther() throws Exception {
		Path jwks = Files.createTempFile("app-jwks-", ".json");
		try (TestAuthorizationServer authorization = TestAuthorizationServer.start()) {
			Files.writeString(jwks, authorization.publicJwks());
			try (LaunchedServer server = LaunchedServer.start(Map.of(
					"spring.datasource.url",
					"jdbc:h2:mem:smart-app-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000",
					"alliance.security.issuer",
					TestAuthorizationServer.ISSUER,
					"alliance.security.audience",
					TestAuthorizationServer.AUDIENCE,
					"alliance.security.jwks-uri",
					jwks.toUri(),
					"alliance.security.authorization-endpoint",
					authorization.baseUrl() + "/authorize",
					"alliance.security.token-endpoint",
					authorization.baseUrl() + "/token"))) {
				IGenericClient setup = server.client();
				setup.registerInterceptor(new BearerTokenAuthInterceptor(authorization.systemToken()));
				FamilySeries own = FamilySeries.store(setup);
				FamilySeries other = FamilySeries.store(setup);
				authorization.issueTokensFor(own.patientId());
				String base = "http://localhost:" + server.port();

				JsonNode report = BrowserScript.run(
						"smart",
						Map.of("base", base, "otherPatient", other.patientId(), "srsCanonical", FamilySeries.SRS));

				assertThat(report.path("error").asText("")).as("script error").isEmpty();
				assertThat(authorization.authorizationRequests)
						.as("the standalone launch and the EHR launch; the foreign one never asks")
						.hasSize(2);
				assertThat(authorization.authorizationRequests.get(0)).satisfies(request -> {
					assertThat(request)
							.containsEntry("response_type", "code")
							.containsEntry("client_id", "alliance-app")
							.containsEntry("redirect_uri", base + "/app/")
							.containsEntry("aud", base + "/fhir")
							.containsEntry("code_challenge_method", "S256");
					assertThat(request.get("scope").split(" "))
							.contains("launch/patient", "patient/*.rs", "patient/Task.u", "patient/Flag.u");
				});
				assertThat(report.path("tokenPatient").asText()).isEqualTo(own.patientId());
				assertThat(report.path("urlAfterLaunch").asText()).isEqualTo(base + "/app/");
				JsonNode launched = report.path("launched");
				assertThat(launched.path("error").isNull())
						.as(launched.path("error").asText())
						.isTrue();
				assertThat(launched.path("charts").findValuesAsText("id")).contains("srs-totals-0", "ors-totals-0");

				JsonNode refused = report.path("otherPatient");
				assertThat(refused.path("error").asText()).contains("andere cliënt");
				assertThat(refused.path("charts")).isEmpty();
				assertThat(refused.path("alerts")).isEmpty();
				assertThat(report.path("otherPatientStatus").asInt()).isEqualTo(403);
				assertThat(report.path("otherPatientSearchStatus").asInt()).isEqualTo(403);
				assertThat(report.path("formSliders").asInt()).isEqualTo(4);
				assertThat(authorization.authorizationRequests.get(1)).satisfies(request -> {
					assertThat(request)
							.containsEntry("launch", "ehr-launch-1")
							.containsEntry("aud", base + "/fhir")
							.containsEntry("code_challenge_method", "S256");
					assertThat(request.get("scope").split(" ")).contains("launch", "patient/*.rs");
				});
				assertThat(report.path("urlAfterEhrLaunch").asText()).isEqualTo(base + "/app/");
				assertThat(report.path("ehrLaunched").path("charts").findValuesAsText("id"))
						.contains("srs-totals-0", "ors-totals-0");
				assertThat(report.path("foreignIssuerError").asText())
						.contains("andere FHIR-server (https://ehr.example.org/fhir)");
				assertThat(report.path("consoleErrors")).as("console errors").isEmpty();
			}
		} finally {
			Files.deleteIfExists(jwks);
		}
	}
}
