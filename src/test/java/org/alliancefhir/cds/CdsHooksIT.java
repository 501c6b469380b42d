package org.alliancefhir.cds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.alliancefhir.server.ServerIntegrationTest;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

/**
 * CDS Hooks 2.0 over HTTP with spec-shaped requests: discovery, {@code patient-view} and {@code encounter-start} with
 * and without prefetch, reading this server locally or through {@code fhirServer}, and every refusal.
 *
 * @see <a href="https://cds-hooks.hl7.org/2.0/">CDS Hooks 2.0</a>
 */
class CdsHooksIT extends ServerIntegrationTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	@Test
	void discoveryListsBothServicesWithTheirPrefetchTemplates() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(cds("")).GET());

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode services = JSON.readTree(response.body()).get("services");
		assertThat(services).hasSize(2);
		assertThat(services.findValuesAsText("hook")).containsExactly("patient-view", "encounter-start");
		assertThat(services.findValuesAsText("id"))
				.containsExactly("alliance-patient-view", "alliance-encounter-start");
		JsonNode prefetch = services.get(0).get("prefetch");
		assertThat(prefetch.get("tasks").asText()).startsWith("Task?patient={{context.patientId}}&status=requested");
		assertThat(prefetch.get("flags").asText())
				.isEqualTo("Flag?patient={{context.patientId}}&status=active&_count=100");
		assertThat(prefetch.get("scores").asText()).startsWith("Observation?subject=Patient/{{context.patientId}}");
	}

	@Test
	void aPatientWithNothingToAttendToGetsNoCards() throws Exception {
		String patient = patientWithSrs("QuestionnaireResponse-mixed-above-cut-off");

		JsonNode cards = cards("alliance-patient-view", request("patient-view", patient));

		assertThat(cards).isEmpty();
	}

	@Test
	void anOpenUrgentAlertGivesOneCriticalCardInDutchWithASmartLink() throws Exception {
		String patient = patientWithSrs("QuestionnaireResponse-mixed");
		Task alert = awaitOpenTask(patient);

		JsonNode cards = cards("alliance-patient-view", request("patient-view", patient));

		assertThat(cards).hasSize(1); // the Flag of the same alert adds no second card
		JsonNode card = cards.get(0);
		assertThat(card.get("summary").asText()).isEqualTo(alert.getDescription());
		assertThat(card.get("summary").asText()).hasSizeLessThanOrEqualTo(140).contains("SRS");
		assertThat(card.get("indicator").asText()).isEqualTo("critical");
		assertThat(card.get("source").get("label").asText()).isEqualTo("Alliance FHIR Server");
		JsonNode link = card.get("links").get(0);
		assertThat(link.get("type").asText()).isEqualTo("smart");
		assertThat(link.get("url").asText()).isEqualTo("http://localhost:" + port + "/app/");
		assertThat(link.get("appContext").asText()).isEqualTo("patient=" + patient);
	}

	@Test
	void fhirServerNamingThisServerReadsTheSameAndEncounterStartAnswersAlike() throws Exception {
		String patient = patientWithSrs("QuestionnaireResponse-mixed");
		awaitOpenTask(patient);
		ObjectNode request = request("encounter-start", patient);
		request.put("fhirServer", baseUrl());
		((ObjectNode) request.get("context")).put("encounterId", "example-encounter");

		JsonNode cards = cards("alliance-encounter-start", request);

		assertThat(cards).hasSize(1);
		assertThat(cards.get(0).get("indicator").asText()).isEqualTo("critical");
	}

	@Test
	void prefetchedDataIsUsedWithoutReadingTheServer() throws Exception {
		String unknownPatient = "not-on-this-server-" + UUID.randomUUID();
		ObjectNode request = request("patient-view", unknownPatient);
		ObjectNode prefetch = request.putObject("prefetch");
		prefetch.set("tasks", bundle(new Bundle()));
		prefetch.set("flags", bundle(new Bundle()));
		Bundle scores = new Bundle().setType(Bundle.BundleType.SEARCHSET);
		scores.addEntry().setResource(score("o-new", "2026-11-20T10:00:00+01:00", 33.5, "L"));
		scores.addEntry().setResource(score("o-old", "2026-11-13T10:00:00+01:00", 37.0, "N"));
		prefetch.set("scores", bundle(scores));

		JsonNode cards = cards("alliance-patient-view", request);

		assertThat(cards).hasSize(1);
		assertThat(cards.get(0).get("indicator").asText()).isEqualTo("info");
		assertThat(cards.get(0).get("summary").asText())
				.isEqualTo(
						"Laatste SRS total score 33,5 op 2026-11-20: onder de grenswaarde, bespreek de samenwerking");
	}

	@Test
	void aLowScoreThatIsNoLongerTheLatestGivesNoCard() throws Exception {
		ObjectNode request = request("patient-view", "p-" + UUID.randomUUID());
		ObjectNode prefetch = request.putObject("prefetch");
		prefetch.set("tasks", bundle(new Bundle()));
		prefetch.set("flags", bundle(new Bundle()));
		Bundle scores = new Bundle();
		scores.addEntry().setResource(score("o-old", "2026-11-13T10:00:00+01:00", 33.5, "L"));
		scores.addEntry().setResource(score("o-new", "2026-11-20T10:00:00+01:00", 37.0, "N"));
		prefetch.set("scores", bundle(scores));

		assertThat(cards("alliance-patient-view", request)).isEmpty();
	}

	@Test
	void requestsThatDoNotFitAreRefused() throws Exception {
		assertThat(post("alliance-patient-view", request("encounter-start", "x"))
						.statusCode())
				.isEqualTo(400);
		ObjectNode noPatient = request("patient-view", "x");
		((ObjectNode) noPatient.get("context")).remove("patientId");
		assertThat(post("alliance-patient-view", noPatient).statusCode()).isEqualTo(400);
		assertThat(post("no-such-service", request("patient-view", "x")).statusCode())
				.isEqualTo(404);
		ObjectNode foreign = request("patient-view", "x");
		foreign.put("fhirServer", "https://elsewhere.example.org/fhir");
		HttpResponse<String> refused = post("alliance-patient-view", foreign);
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("trusted");
	}

	private JsonNode cards(String service, ObjectNode request) throws Exception {
		HttpResponse<String> response = post(service, request);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JSON.readTree(response.body()).get("cards");
	}

	private HttpResponse<String> post(String service, ObjectNode request) throws Exception {
		return send(HttpRequest.newBuilder(cds("/" + service))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(request.toString())));
	}

	private URI cds(String path) {
		return URI.create("http://localhost:" + port + "/cds-services" + path);
	}

	static ObjectNode request(String hook, String patientId) {
		ObjectNode request = JSON.createObjectNode();
		request.put("hookInstance", UUID.randomUUID().toString());
		request.put("hook", hook);
		ObjectNode context = request.putObject("context");
		context.put("userId", "Practitioner/example");
		context.put("patientId", patientId);
		return request;
	}

	private JsonNode bundle(Bundle bundle) throws Exception {
		return JSON.readTree(fhirContext.newJsonParser().encodeResourceToString(bundle));
	}

	private static Observation score(String id, String when, double value, String interpretation) {
		Observation score = new Observation();
		score.setId(id);
		score.setStatus(Observation.ObservationStatus.FINAL);
		score.setCode(new CodeableConcept(
				new Coding("https://alliancefhir.org/fhir/CodeSystem/alliance", "srs-total", "SRS total score")));
		score.setEffective(new org.hl7.fhir.r4.model.DateTimeType(when));
		score.setValue(new Quantity(value));
		score.addInterpretation(new CodeableConcept(new Coding(
				"http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", interpretation, null)));
		return score;
	}

	/** A new patient with one scored SRS response from the fixture. */
	private String patientWithSrs(String fixture) throws Exception {
		Patient patient = new Patient();
		patient.setId("cds-" + UUID.randomUUID());
		client().update().resource(patient).execute();
		try (InputStream in = getClass().getClassLoader().getResourceAsStream("fixtures/srs/" + fixture + ".json")) {
			QuestionnaireResponse response = fhirContext
					.newJsonParser()
					.parseResource(QuestionnaireResponse.class, new String(in.readAllBytes(), StandardCharsets.UTF_8));
			response.setId((String) null);
			response.setSubject(new Reference("Patient/" + patient.getIdPart()));
			response.setAuthor(new Reference("Patient/" + patient.getIdPart()));
			client().create().resource(response).execute();
		}
		return patient.getIdPart();
	}

	/** Feedback may run after the commit: waits until the alert Task is there, by polling, never a fixed sleep. */
	private Task awaitOpenTask(String patient) throws Exception {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
		while (true) {
			Bundle tasks = client().search()
					.byUrl("Task?patient=Patient/" + patient + "&status=requested")
					.returnBundle(Bundle.class)
					.cacheControl(new ca.uhn.fhir.rest.api.CacheControlDirective().setNoCache(true))
					.execute();
			if (!tasks.getEntry().isEmpty()) {
				return (Task) tasks.getEntryFirstRep().getResource();
			}
			assertThat(Instant.now()).as("an alert Task for the low SRS").isBefore(deadline);
			Thread.sleep(200);
		}
	}
}
