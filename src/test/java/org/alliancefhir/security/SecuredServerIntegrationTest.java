package org.alliancefhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;

/**
 * Base of the security integration tests: the shared {@link SecuredServer}, tokens from its keys, raw HTTP calls
 * with a bearer token (to see status codes and headers), and fixtures: patients and SRS responses about them.
 */
abstract class SecuredServerIntegrationTest {

	static final String SYSTEM_SCOPES = "system/*.*";

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	static SecuredServer secured;
	static FhirContext fhirContext;

	@BeforeAll
	static void useTheSecuredServer(TestInfo test) {
		boolean onPostgres =
				test.getTestClass().map(OnPostgres.class::isAssignableFrom).orElse(false);
		secured = onPostgres ? SecuredServer.onPostgres() : SecuredServer.get();
		fhirContext = secured.server.bean(FhirContext.class);
	}

	static TestKeys keys() {
		return secured.keys;
	}

	/** A token for a backend service with full access. */
	static String systemToken() {
		return keys().rs256(TestKeys.claims("backend-service", SYSTEM_SCOPES).build());
	}

	static String patientToken(String patientId, String scope) {
		return keys().rs256(TestKeys.patientClaims("parent-of-" + patientId, patientId, scope));
	}

	static IGenericClient client(String token) {
		IGenericClient client = secured.server.client();
		client.registerInterceptor(new BearerTokenAuthInterceptor(token));
		return client;
	}

	static HttpResponse<String> get(String path, String token) {
		return send(request(path, token).GET());
	}

	static HttpResponse<String> post(String path, IBaseResource body, String token) {
		return send(request(path, token)
				.header("Content-Type", "application/fhir+json")
				.POST(HttpRequest.BodyPublishers.ofString(json(body))));
	}

	static HttpResponse<String> put(String path, IBaseResource body, String token) {
		return send(request(path, token)
				.header("Content-Type", "application/fhir+json")
				.PUT(HttpRequest.BodyPublishers.ofString(json(body))));
	}

	static HttpResponse<String> delete(String path, String token) {
		return send(request(path, token).DELETE());
	}

	static HttpRequest.Builder request(String path, String token) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(secured.server.baseUrl() + path))
				.header("Accept", "application/fhir+json")
				.header("Cache-Control", "no-cache");
		return token == null ? request : request.header("Authorization", "Bearer " + token);
	}

	static HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	static <T extends IBaseResource> T parse(Class<T> type, HttpResponse<String> response) {
		return fhirContext.newJsonParser().parseResource(type, response.body());
	}

	static OperationOutcome outcome(HttpResponse<String> response) {
		return parse(OperationOutcome.class, response);
	}

	static Bundle search(String query, String token) {
		HttpResponse<String> response = get("/" + query, token);
		assertThat(response.statusCode()).as(query).isEqualTo(200);
		return parse(Bundle.class, response);
	}

	static String json(IBaseResource resource) {
		return fhirContext.newJsonParser().encodeResourceToString(resource);
	}

	/** A new patient, stored with a system token; its id. */
	static String newPatient() {
		Patient patient = new Patient();
		patient.setId("security-" + UUID.randomUUID());
		HttpResponse<String> response = put("/Patient/" + patient.getIdPart(), patient, systemToken());
		assertThat(response.statusCode()).isEqualTo(201);
		return patient.getIdPart();
	}

	/** A completed SRS response about the patient, answered by them, not stored. */
	static QuestionnaireResponse srsResponse(String subjectId, String authorId) {
		String path = "fixtures/srs/QuestionnaireResponse-mixed.json";
		try (InputStream in =
				SecuredServerIntegrationTest.class.getClassLoader().getResourceAsStream(path)) {
			QuestionnaireResponse response = fhirContext
					.newJsonParser()
					.parseResource(QuestionnaireResponse.class, new String(in.readAllBytes(), StandardCharsets.UTF_8));
			response.setId((String) null);
			response.setSubject(new Reference("Patient/" + subjectId));
			response.setAuthor(new Reference("Patient/" + authorId));
			return response;
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** Stores a response with a system token; its id. */
	static String storedResponse(String patientId) {
		HttpResponse<String> response =
				post("/QuestionnaireResponse", srsResponse(patientId, patientId), systemToken());
		assertThat(response.statusCode()).isEqualTo(201);
		return idFromLocation(response);
	}

	/** The alert Tasks the feedback workers raise for the patient (by id), once there is one; waits up to 30 s. */
	static List<Task> awaitAlert(String patientId) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (true) {
			List<Task> tasks = search("Task?patient=Patient/" + patientId, systemToken()).getEntry().stream()
					.map(e -> (Task) e.getResource())
					.toList();
			if (!tasks.isEmpty()) {
				return tasks;
			}
			assertThat(System.nanoTime()).as("an alert Task within 30 s").isLessThan(deadline);
			Thread.sleep(100);
		}
	}

	static String idFromLocation(HttpResponse<String> response) {
		String location = response.headers().firstValue("Location").orElseThrow();
		return new org.hl7.fhir.r4.model.IdType(location).getIdPart();
	}
}
