package org.alliancefhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.CacheControlDirective;
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
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bulk Data {@code $export} at system, Patient and Group level: the async pattern ({@code Prefer: respond-async},
 * 202 and a status URL, polling, a manifest), NDJSON files read back as Binary, {@code _type} and {@code _since};
 * an export of QuestionnaireResponse and Observation holds every scored response and its score, and with
 * {@code _since} at each level exactly what was stored or changed at or after it (HAPI alone gets this wrong at
 * Patient and Group level: see {@link BulkExportSinceFilter}).
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

	@ParameterizedTest
	@ValueSource(strings = {"system", "Patient", "Group"})
	void sinceHoldsExactlyWhatWasStoredOrChangedAfterIt(String level) throws Exception {
		String groupId = groupOfThePatient();
		awaitFeedback(); // the two earlier sessions' derived resources are written
		Instant since = serverTimeAfterAPause();
		Thread.sleep(1_100); // _since has a resolution of seconds on some databases; the boundary must be clear
		String later =
				client().create().resource(srsResponse()).execute().getId().getIdPart();
		awaitFeedback(); // the third session's score, comparisons, alert and split indices
		Map<String, Set<String>> changed = changedSince(since);

		List<Resource> exported = export(kickOff(level, groupId) + "?" + TYPES + "&_since=" + since);

		assertThat(exported)
				.allSatisfy(resource -> assertThat(resource.getMeta().getLastUpdated())
						.as("lastUpdated of %s", resource.getIdElement().toUnqualifiedVersionless())
						.isAfterOrEqualTo(Date.from(since)));
		List<Resource> ofThePatient = exported.stream()
				.filter(r -> subject(r).equals("Patient/" + patientId))
				.toList();
		assertThat(ids(ofThePatient, "QuestionnaireResponse"))
				.containsExactly(later)
				.isEqualTo(changed.get("QuestionnaireResponse"));
		assertThat(ids(ofThePatient, "Observation"))
				.isEqualTo(changed.get("Observation"))
				.doesNotContainAnyElementsOf(scoreIds)
				.contains(scoreOf(later));
	}

	/**
	 * Withdrawing the second response after {@code _since} changes older resources: the response itself (the
	 * client's update), its score (marked entered-in-error in the same transaction) and its comparison with the first
	 * score (withdrawn by the feedback workers after the commit); all three count as changes and are exported, the
	 * first response and score are not.
	 */
	@Test
	void derivedUpdatesOfEarlierResourcesCountAsChanges() throws Exception {
		awaitFeedback();
		String comparison = derivedFrom("Observation/" + scoreIds.get(1));
		Instant since = serverTimeAfterAPause();
		Thread.sleep(1_100);
		QuestionnaireResponse withdrawn = client().read()
				.resource(QuestionnaireResponse.class)
				.withId(responseIds.get(1))
				.execute();
		withdrawn.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.ENTEREDINERROR);
		client().update().resource(withdrawn).execute();
		awaitFeedback();
		Map<String, Set<String>> changed = changedSince(since);

		List<Resource> exported = export("/Patient/$export?" + TYPES + "&_since=" + since);

		List<Resource> ofThePatient = exported.stream()
				.filter(r -> subject(r).equals("Patient/" + patientId))
				.toList();
		assertThat(ids(ofThePatient, "QuestionnaireResponse")).containsExactly(responseIds.get(1));
		assertThat(ids(ofThePatient, "Observation"))
				.isEqualTo(changed.get("Observation"))
				.containsExactlyInAnyOrder(scoreIds.get(1), comparison);
		assertThat(ofThePatient).filteredOn(Observation.class::isInstance).allSatisfy(o -> assertThat(
						((Observation) o).getStatus())
				.isEqualTo(Observation.ObservationStatus.ENTEREDINERROR));
	}

	@Test
	void anExportWithoutRespondAsyncIsRefused() throws Exception {
		HttpResponse<String> response = send(request("/$export?" + TYPES).header("Accept", "application/fhir+json"));

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("Must request async processing for $export");
	}

	@Test
	void theCapabilityStatementNamesTheBulkDataDefinitionsOfExport() {
		org.hl7.fhir.r4.model.CapabilityStatement capabilities = client().capabilities()
				.ofType(org.hl7.fhir.r4.model.CapabilityStatement.class)
				.execute();

		assertThat(capabilities.getRestFirstRep().getOperation())
				.filteredOn(o -> o.getName().equals("export"))
				.extracting(o -> o.getDefinition())
				.containsExactly("http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export");
		assertThat(capabilities.getRestFirstRep().getResource().stream()
						.filter(r -> Set.of("Patient", "Group").contains(r.getType()))
						.flatMap(r -> r.getOperation().stream()
								.filter(o -> o.getName().equals("export"))
								.map(o -> r.getType() + " " + o.getDefinition())))
				.containsExactlyInAnyOrder(
						"Patient http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export",
						"Group http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export");
	}

	private String groupOfThePatient() {
		Group group = new Group();
		group.setType(Group.GroupType.PERSON).setActual(true);
		group.addMember().setEntity(new Reference("Patient/" + patientId));
		return client().create().resource(group).execute().getId().getIdPart();
	}

	private static String kickOff(String level, String groupId) {
		return switch (level) {
			case "system" -> "/$export";
			case "Patient" -> "/Patient/$export";
			default -> "/Group/" + groupId + "/$export";
		};
	}

	/**
	 * The server's clock, read from the {@code lastUpdated} of a write (never the test's clock), a moment after
	 * everything written so far: what a client should take as {@code _since} is a time of the server's.
	 */
	private Instant serverTimeAfterAPause() throws InterruptedException {
		Thread.sleep(1_100);
		Patient marker = new Patient();
		marker.setActive(false);
		Patient stored = (Patient) client().create().resource(marker).execute().getResource();
		return stored.getMeta().getLastUpdated().toInstant();
	}

	/** The patient's responses and Observations whose {@code lastUpdated} is at or after the instant, by a search. */
	private Map<String, Set<String>> changedSince(Instant since) {
		Map<String, Set<String>> changed = new HashMap<>();
		for (String type : List.of("QuestionnaireResponse", "Observation")) {
			org.hl7.fhir.r4.model.Bundle page = client().search()
					.byUrl(type + "?subject=Patient/" + patientId + "&_lastUpdated=ge" + since + "&_count=200")
					.returnBundle(org.hl7.fhir.r4.model.Bundle.class)
					.cacheControl(new CacheControlDirective().setNoCache(true))
					.execute();
			Set<String> ids = new HashSet<>();
			page.getEntry().forEach(e -> ids.add(e.getResource().getIdElement().getIdPart()));
			changed.put(type, ids);
		}
		return changed;
	}

	private String scoreOf(String responseId) {
		return derivedFrom("QuestionnaireResponse/" + responseId);
	}

	/** The one Observation derived from the resource. */
	private String derivedFrom(String reference) {
		return client().search()
				.forResource(Observation.class)
				.where(Observation.DERIVED_FROM.hasId(reference))
				.returnBundle(org.hl7.fhir.r4.model.Bundle.class)
				.execute()
				.getEntryFirstRep()
				.getResource()
				.getIdElement()
				.getIdPart();
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
		assertThat(Instant.parse(manifest.get("transactionTime").asText()))
				.isBefore(Instant.now().plusSeconds(1));
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
