package org.alliancefhir.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.alliancefhir.server.ServerIntegrationTest;
import org.junit.jupiter.api.Test;

/** The clinician app's pages are served from the jar at /app/ with their security headers. */
class AppServingIT extends ServerIntegrationTest {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@Test
	void dashboardIsServedWithSecurityHeaders() throws IOException, InterruptedException {
		HttpResponse<String> response = get("/app/");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("<script type=\"module\" src=\"/app/js/dashboard.js\">");
		String policy = response.headers().firstValue("Content-Security-Policy").orElseThrow();
		assertThat(policy)
				.contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'self'", "connect-src 'self'");
		assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("SAMEORIGIN");
		assertThat(response.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
		assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
	}

	@Test
	void sessionFormAndScriptsAreServed() throws IOException, InterruptedException {
		HttpResponse<String> form = get("/app/form/");
		HttpResponse<String> script = get("/app/js/form.js");

		assertThat(form.statusCode()).isEqualTo(200);
		assertThat(form.body()).contains("id=\"questionnaire-form\"");
		assertThat(script.statusCode()).isEqualTo(200);
		assertThat(script.headers().firstValue("Content-Type"))
				.hasValueSatisfying(type -> assertThat(type).contains("javascript"));
	}

	@Test
	void pathWithoutSlashRedirectsToTheApp() throws IOException, InterruptedException {
		HttpResponse<String> response = get("/app");

		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(response.headers().firstValue("Location"))
				.hasValueSatisfying(location -> assertThat(location).endsWith("/app/"));
	}

	@Test
	void launchSettingsSayDevelopmentModeWithoutAnIssuer() throws IOException, InterruptedException {
		HttpResponse<String> response = get("/app/launch-settings.json");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"smart\":false").contains("\"clientId\":\"alliance-app\"");
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return HTTP.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
						.build(),
				HttpResponse.BodyHandlers.ofString());
	}
}
