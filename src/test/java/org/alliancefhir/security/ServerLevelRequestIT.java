package org.alliancefhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * Requests that name no resource type (server history, {@code $meta}, paging, transactions and batches) never end in
 * HTTP 500, refused ones are audited, a refusal is logged as one WARN line without a stack trace, and tokens of
 * several kilobytes are accepted.
 */
class ServerLevelRequestIT extends SecuredServerIntegrationTest {

	private static String patient;
	private static String otherPatient;

	@BeforeAll
	static void twoPatients() {
		patient = newPatient();
		otherPatient = newPatient();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(
			strings = {"/_history", "/$meta", "/?_getpages=no-such-page", "/?_getpages=no-such-page&_getpagesoffset=20"
			})
	void serverLevelRequestsNeverFailWithAServerError(String path) {
		for (String token : List.of(systemToken(), patientToken(patient, "patient/*.read"))) {
			HttpResponse<String> response = get(path, token);

			assertThat(response.statusCode()).as(path + " " + response.body()).isLessThan(500);
			assertThat(response.body()).contains("\"resourceType\"");
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = {"TRANSACTION", "BATCH"})
	void aRefusedTransactionOrBatchIs403AndAudited(String type) {
		String caller = newPatient();
		Bundle bundle = new Bundle().setType(Bundle.BundleType.valueOf(type));
		bundle.addEntry()
				.setFullUrl("urn:uuid:" + UUID.randomUUID())
				.setResource(srsResponse(otherPatient, otherPatient))
				.getRequest()
				.setMethod(Bundle.HTTPVerb.POST)
				.setUrl("QuestionnaireResponse");

		HttpResponse<String> response = post("", bundle, patientToken(caller, "patient/QuestionnaireResponse.c"));

		assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
		assertThat(outcome(response).getIssueFirstRep().getDiagnostics()).startsWith("Insufficient scope");
		List<AuditEvent> refusals =
				search("AuditEvent?altid=parent-of-" + caller + "&outcome=4", systemToken()).getEntry().stream()
						.map(e -> (AuditEvent) e.getResource())
						.toList();
		assertThat(refusals).hasSize(1);
		assertThat(refusals.get(0).getEntity()).filteredOn(e -> e.hasQuery()).hasSize(1);
	}

	@Test
	void aMalformedTransactionIsA400() {
		HttpResponse<String> response = send(request("", patientToken(patient, "patient/*.*"))
				.header("Content-Type", "application/fhir+json")
				.POST(HttpRequest.BodyPublishers.ofString(
						"{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{")));

		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(outcome(response).getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
	}

	@Test
	void anXmlTransactionWithAnExternalEntityIsRefusedWithoutReadingIt() {
		String xml = "<?xml version=\"1.0\"?><!DOCTYPE Bundle [<!ENTITY xxe SYSTEM \"file:///etc/hostname\">]>"
				+ "<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"transaction\"/><entry><resource>"
				+ "<Patient><name><family value=\"&xxe;\"/></name></Patient></resource>"
				+ "<request><method value=\"POST\"/><url value=\"Patient\"/></request></entry></Bundle>";

		HttpResponse<String> response = send(request("", systemToken())
				.header("Content-Type", "application/fhir+xml")
				.POST(HttpRequest.BodyPublishers.ofString(xml)));

		assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
		assertThat(response.body()).contains("OperationOutcome");
	}

	@Test
	void aRefusalIsLoggedAsOneWarningWithoutAStackTrace() {
		ListAppender<ILoggingEvent> log = new ListAppender<>();
		log.start();
		Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
		Level level = root.getLevel();
		root.addAppender(log);
		root.setLevel(Level.INFO);
		try {
			HttpResponse<String> refused = get("/Patient/" + otherPatient, patientToken(patient, "patient/*.read"));
			assertThat(refused.statusCode()).isEqualTo(403);
		} finally {
			root.detachAppender(log);
			root.setLevel(level);
		}

		List<ILoggingEvent> problems = log.list.stream()
				.filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
				.toList();
		assertThat(problems).hasSize(1);
		assertThat(problems.get(0).getLevel()).isEqualTo(Level.WARN);
		assertThat(problems.get(0).getThrowableProxy()).isNull();
	}

	@Test
	void aTokenOfSeveralKilobytesIsAccepted() {
		String token = keys().rs256(TestKeys.claims("parent-of-" + patient, "patient/*.read")
				.claim("patient", patient)
				.claim("padding", "x".repeat(20_000))
				.build());

		HttpResponse<String> response = get("/Patient/" + patient, token);

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
	}

	@Test
	void aHeaderBeyondTheLimitIsAnsweredWithAnOperationOutcome() {
		HttpResponse<String> response = send(request("/Patient/" + patient, "x".repeat(200_000)));

		assertThat(response.statusCode()).isBetween(400, 499);
		assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("json");
		assertThat(response.body())
				.contains("\"resourceType\":\"OperationOutcome\"")
				.doesNotContain("<html");
	}
}
