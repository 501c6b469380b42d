package org.alliancefhir.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.alliancefhir.outbox.AuditOutbox;
import org.alliancefhir.outbox.FeedbackOutbox;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * Base of the HTTP integration tests: every subclass shares one Spring context (one server on an in-memory H2
 * database), so HAPI starts once per JVM; tests isolate themselves with unique data instead of wipes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public abstract class ServerIntegrationTest {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@LocalServerPort
	protected int port;

	@Autowired
	protected FhirContext fhirContext;

	@Autowired
	private FeedbackOutbox feedbackOutbox;

	@Autowired
	private AuditOutbox auditOutbox;

	/**
	 * Waits until the feedback workers have derived everything enqueued so far (comparisons, alerts, split indices
	 * follow a response within moments of its commit) and stored the waiting AuditEvents, polling the outboxes.
	 */
	protected void awaitFeedback() {
		awaitOutboxes(feedbackOutbox, auditOutbox);
	}

	/** Polls both outboxes until they hold no pending work (feedback and AuditEvents); fails after a minute. */
	public static void awaitOutboxes(FeedbackOutbox feedback, AuditOutbox audit) {
		long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
		while (feedback.pending() > 0 || audit.pending() > 0) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("The outboxes still hold " + feedback.pending() + " feedback row(s) and "
						+ audit.pending() + " AuditEvent(s) after a minute");
			}
			try {
				Thread.sleep(10);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new AssertionError("Interrupted while waiting for the outboxes", e);
			}
		}
	}

	/** Adds a POST of the resource to a transaction or batch Bundle (a {@code fullUrl} only where entries refer to it). */
	protected static void addPost(Bundle bundle, String fullUrl, Resource resource) {
		bundle.addEntry()
				.setFullUrl(fullUrl)
				.setResource(resource)
				.getRequest()
				.setMethod(Bundle.HTTPVerb.POST)
				.setUrl(resource.fhirType());
	}

	protected String baseUrl() {
		return "http://localhost:" + port + "/fhir";
	}

	protected IGenericClient client() {
		fhirContext.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
		fhirContext.getRestfulClientFactory().setSocketTimeout(120_000);
		return fhirContext.newRestfulGenericClient(baseUrl());
	}

	/** Sends a raw request, for cases the generic client cannot express (malformed bodies, odd headers). */
	protected HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	protected HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create(baseUrl() + path));
	}
}
