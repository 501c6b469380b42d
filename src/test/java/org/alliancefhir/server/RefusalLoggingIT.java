package org.alliancefhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A refused request logs at most one WARN line, without stack trace, and never the refused answer value, narrative or
 * expression; the client still gets the value in its OperationOutcome.
 */
class RefusalLoggingIT extends ServerIntegrationTest {

	private static final String SRS = "https://alliancefhir.org/fhir/Questionnaire/srs|1.0.0";

	private final ListAppender<ILoggingEvent> log = new ListAppender<>();
	private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

	@BeforeEach
	void captureTheLogOnceThePatientExists() throws Exception {
		HttpResponse<String> patient = send(request("/Patient/refusal-logging")
				.header("Content-Type", "application/fhir+json")
				.PUT(BodyPublishers.ofString("{\"resourceType\":\"Patient\",\"id\":\"refusal-logging\"}")));
		assertThat(patient.statusCode()).isIn(200, 201);
		log.start();
		root.addAppender(log);
	}

	@AfterEach
	void stopCapturing() {
		root.detachAppender(log);
	}

	@Test
	void anAnswerOutOfRangeIsNamedToTheClientButNotLogged() throws Exception {
		HttpResponse<String> refused = post(
				"/QuestionnaireResponse",
				"{\"resourceType\":\"QuestionnaireResponse\","
						+ "\"questionnaire\":\"" + SRS + "\",\"status\":\"completed\",\"subject\":{\"reference\":"
						+ "\"Patient/refusal-logging\"},\"authored\":\"2026-11-20T10:00:00+01:00\",\"item\":["
						+ "{\"linkId\":\"q1\",\"answer\":[{\"valueDecimal\":11.77}]},{\"linkId\":\"q2\",\"answer\":[{\"valueDecimal\":8}]},"
						+ "{\"linkId\":\"q3\",\"answer\":[{\"valueDecimal\":8}]},{\"linkId\":\"q4\",\"answer\":[{\"valueDecimal\":8}]}]}");

		assertThat(refused.statusCode()).isEqualTo(422);
		assertThat(refused.body()).contains("11.77");
		assertLoggedAtMostOneWarningWithout("11.77");
	}

	@Test
	void aNarrativeWithAScriptIsNotLogged() throws Exception {
		HttpResponse<String> refused = post(
				"/Patient",
				"{\"resourceType\":\"Patient\",\"text\":{\"status\":"
						+ "\"generated\",\"div\":\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\"><script>alert('narrative-secret')"
						+ "</script></div>\"}}");

		assertThat(refused.statusCode()).isEqualTo(422);
		assertThat(refused.body()).doesNotContain("narrative-secret");
		assertLoggedAtMostOneWarningWithout("narrative-secret");
	}

	@Test
	void aQuestionnaireWithAPathologicalExpressionIsNotLogged() throws Exception {
		HttpResponse<String> refused = post(
				"/Questionnaire",
				"{\"resourceType\":\"Questionnaire\",\"status\":\"draft\","
						+ "\"url\":\"https://example.org/Questionnaire/refusal-logging\",\"version\":\"1\",\"item\":[{\"linkId\":"
						+ "\"total\",\"type\":\"decimal\",\"extension\":[{\"url\":\"http://hl7.org/fhir/uv/sdc/StructureDefinition/"
						+ "sdc-questionnaire-calculatedExpression\",\"valueExpression\":{\"language\":\"text/fhirpath\","
						+ "\"expression\":\"'expression-secret'.matches('(a+)+$')\"}}]}]}");

		assertThat(refused.statusCode()).isEqualTo(422);
		assertLoggedAtMostOneWarningWithout("expression-secret");
	}

	private HttpResponse<String> post(String path, String json) throws Exception {
		return send(
				request(path).header("Content-Type", "application/fhir+json").POST(BodyPublishers.ofString(json)));
	}

	private void assertLoggedAtMostOneWarningWithout(String secret) {
		List<ILoggingEvent> warnings = log.list.stream()
				.filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
				.toList();
		assertThat(warnings).as("WARN and ERROR lines").hasSizeLessThanOrEqualTo(1);
		for (ILoggingEvent event : log.list) {
			assertThat(event.getFormattedMessage()).doesNotContain(secret);
			assertThat(event.getThrowableProxy())
					.as("stack trace of %s", event.getFormattedMessage())
					.satisfiesAnyOf(
							proxy -> assertThat(proxy).isNull(), proxy -> assertThat(ThrowableProxyUtil.asString(proxy))
									.doesNotContain(secret));
		}
		warnings.forEach(warning -> assertThat(warning.getThrowableProxy()).isNull());
	}
}
