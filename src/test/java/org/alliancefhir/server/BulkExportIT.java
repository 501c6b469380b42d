package org.alliancefhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bulk Data {@code $export} at system, Patient and Group level: the async pattern ({@code Prefer: respond-async},
 * 202 and a status URL, polling, a manifest), NDJSON files read back as Binary, {@code _type} and {@code _since};
 * an export of QuestionnaireResponse and Observation holds every scored response and its score.
 *
 * @see <a href="https://hl7.org/fhir/uv/bulkdata/export.html">Bulk Data export</a>
 */
class BulkExportIT extends ServerIntegrationTest {

	private static final ObjectMapper JSON = new ObjectMapper();
	private static final String TYPES = "_type=QuestionnaireResponse,Observation";

	private String patientId;
	private final List<String> responseIds = new ArrayList<>();
	private final List<String> scoreIds = new ArrayList<>();

	@BeforeEach
	void aPatientWithTwoScoredResponses() throws Exception {
		client().getFhirContext().getRestfulClientFactory().setSocketTimeout(120_000);
		Patient patient = new Patient();
		patient.setId("bulk-" + UUID.randomUUID());
		client().update().resource(patient).execute();
		patientId = patient.getIdPart();
		for (int i = 0; i < 2; i++) {
			String id =
					client().create().resource(srsResponse()).execute().getId().getIdPart();
			responseIds.add(id);
			scoreIds.add(client().search()
					.forResource(Observation.class)
					.where(Observation.DERIVED_FROM.hasId("QuestionnaireResponse/" + id))
					.returnBundle(org.hl7.fhir.r4.model.Bundle.class)
					.execute()
					.getEntryFirstRep()
					.getResource()
					.getIdElement()
					.getIdPart());
		}
	}

	@Test
	void systemExportHoldsEveryScoredResponseAndItsScore() throws Exception {
		List<Resource> exported = export("/$export?" + TYPES);

		assertThat(ids(exported, "QuestionnaireResponse")).containsAll(responseIds);
		assertThat(ids(exported, "Observation")).containsAll(scoreIds);
		assertThat(exported)
				.allMatch(r -> Set.of("QuestionnaireResponse", "Observation").contains(r.fhirType()));
	}

	@Test
	void patientExportHoldsThePatientsResponsesAndScores() throws Exception {
		List<Resource> exported = export("/Patient/$export?" + TYPES);

		assertThat(ids(exported, "QuestionnaireResponse")).containsAll(responseIds);
		assertThat(ids(exported, "Observation")).containsAll(scoreIds);
	}

	@Test
	void groupExportHoldsOnlyItsMembersData() throws Exception {
		Group group = new Group();
		group.setType(Group.GroupType.PERSON).setActual(true);
		group.addMember().setEntity(new Reference("Patient/" + patientId));
		String groupId = client().create().resource(group).execute().getId().getIdPart();

		List<Resource> exported = export("/Group/" + groupId + "/$export?" + TYPES);

		assertThat(ids(exported, "QuestionnaireResponse")).containsExactlyInAnyOrderElementsOf(responseIds);
		assertThat(ids(exported, "Observation")).containsAll(scoreIds); // and the feedback's comparison
		assertThat(exported)
				.allSatisfy(resource -> assertThat(subject(resource)).isEqualTo("Patient/" + patientId));
	}

	@Test
	void sinceLeavesOutWhatDidNotChangeAfterIt() throws Exception {
		Instant since = Instant.now();
		Thread.sleep(1_100); // _since has a resolution of seconds on some databases; the boundary must be clear
		String later =
				client().create().resource(srsResponse()).execute().getId().getIdPart();

		List<Resource> exported = export("/$export?_type=QuestionnaireResponse&_since=" + since);

		assertThat(ids(exported, "QuestionnaireResponse")).contains(later).doesNotContainAnyElementsOf(responseIds);
	}

	@Test
	void anExportWithoutRespondAsyncIsRefused() throws Exception {
		HttpResponse<String> response = send(request("/$export?" + TYPES).header("Accept", "application/fhir+json"));

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("Must request async processing for $export");
	}

	@Test
	void theCapabilityStatementListsTheExportOperations() {
		org.hl7.fhir.r4.model.CapabilityStatement capabilities = client().capabilities()
				.ofType(org.hl7.fhir.r4.model.CapabilityStatement.class)
				.execute();

		assertThat(capabilities.getRestFirstRep().getOperation())
				.extracting(o -> o.getName())
				.contains("export", "export-poll-status");
		assertThat(capabilities.getRestFirstRep().getResource().stream()
						.filter(r -> Set.of("Patient", "Group").contains(r.getType()))
						.flatMap(r -> r.getOperation().stream())
						.map(o -> o.getName()))
				.contains("export");
	}

	/** Starts an export, polls its status until the manifest is ready, and reads every NDJSON file. */
	private List<Resource> export(String kickOff) throws Exception {
		HttpResponse<String> accepted =
				send(request(kickOff).header("Accept", "application/fhir+json").header("Prefer", "respond-async"));
		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
		URI status =
				URI.create(accepted.headers().firstValue("Content-Location").orElseThrow());
		Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
		HttpResponse<String> poll;
		do {
			Thread.sleep(500);
			poll = send(HttpRequest.newBuilder(status).header("Accept", "application/json"));
		} while (poll.statusCode() == 202 && Instant.now().isBefore(deadline));
		assertThat(poll.statusCode()).as(poll.body() + poll.headers().map()).isEqualTo(200);
		JsonNode manifest = JSON.readTree(poll.body());
		assertThat(manifest.get("requiresAccessToken").asBoolean()).isTrue();
		List<Resource> resources = new ArrayList<>();
		for (JsonNode file : manifest.get("output")) {
			HttpResponse<String> ndjson =
					send(HttpRequest.newBuilder(URI.create(file.get("url").asText()))
							.header("Accept", "application/fhir+ndjson"));
			assertThat(ndjson.statusCode()).isEqualTo(200);
			for (String line : ndjson.body().split("\n")) {
				if (!line.isBlank()) {
					Resource resource = (Resource) fhirContext.newJsonParser().parseResource(line);
					assertThat(resource.fhirType()).isEqualTo(file.get("type").asText());
					resources.add(resource);
				}
			}
		}
		return resources;
	}

	private static String subject(Resource resource) {
		return resource instanceof QuestionnaireResponse response
				? response.getSubject().getReference()
				: ((Observation) resource).getSubject().getReference();
	}

	private static Set<String> ids(List<Resource> resources, String type) {
		Set<String> ids = new HashSet<>();
		resources.stream()
				.filter(r -> r.fhirType().equals(type))
				.forEach(r -> ids.add(r.getIdElement().getIdPart()));
		return ids;
	}

	private QuestionnaireResponse srsResponse() throws IOException {
		try (InputStream in =
				getClass().getClassLoader().getResourceAsStream("fixtures/srs/QuestionnaireResponse-mixed.json")) {
			QuestionnaireResponse response = fhirContext
					.newJsonParser()
					.parseResource(QuestionnaireResponse.class, new String(in.readAllBytes(), StandardCharsets.UTF_8));
			response.setId((String) null);
			response.setSubject(new Reference("Patient/" + patientId));
			response.setAuthor(new Reference("Patient/" + patientId));
			return response;
		}
	}
}
