package org.alliancefhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.ObservationDefinition;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.PlanDefinition.PlanDefinitionActionComponent;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two server processes on one PostgreSQL database, as behind a load balancer: the sessions of the same clients
 * posted alternately to both give exactly what one node gives, a feedback rule or a cut-off changed through one node
 * is used by the other within 15 s, and a Subscription notifies once per change, whichever node made it.
 */
@Tag("robustness")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeveralNodesIT {

	private static final int CLIENTS = 4;
	private static final Duration FEEDBACK_TIMEOUT = Duration.ofSeconds(60);
	private static final Duration CONTENT_REACHES_OTHER_NODE = Duration.ofSeconds(15);
	private static final String SRS = "https://alliancefhir.org/fhir/Questionnaire/srs|1.0.0";
	private static final String SRS_TOTAL = "https://alliancefhir.org/fhir/CodeSystem/alliance%7Csrs-total";
	private static final int SUBSCRIBED_CHANGES = 6;

	private final ClientSessions sessions = new ClientSessions();
	private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
	private FreshPostgresDatabase database;
	private ServerProcess nodeA;
	private ServerProcess nodeB;
	private RawFhirClient a;
	private RawFhirClient b;
	/** Clients whose sessions went to node A alone, before node B started: what a single node produces. */
	private final List<String> singleNodeClients = new ArrayList<>();

	@BeforeAll
	void startTwoNodesAfterASingleNodeRun() throws Exception {
		Path logs = Files.createTempDirectory("several-nodes");
		database = FreshPostgresDatabase.create();
		nodeA = ServerProcess.start(database.serverProperties(), logs.resolve("node-a.log"));
		a = new RawFhirClient(nodeA.baseUrl());
		// one request at a time: this also warms the fresh schema up before concurrent writes (fhir-notes 10.5)
		for (int client = 0; client < CLIENTS; client++) {
			singleNodeClients.add(postClient(List.of(a)));
		}
		nodeB = ServerProcess.start(database.serverProperties(), logs.resolve("node-b.log"));
		b = new RawFhirClient(nodeB.baseUrl());
	}

	@AfterEach
	void everyRequestWasAnswered200Or201() {
		assertThat(failures).as("requests not answered 200/201").isEmpty();
	}

	@AfterAll
	void stop() throws Exception {
		for (AutoCloseable closeable : new AutoCloseable[] {nodeB, nodeA, database}) {
			if (closeable != null) {
				closeable.close();
			}
		}
	}

	@Test
	@Order(1)
	void clientsPostedAlternatelyToBothNodesGetExactlyWhatOneNodeGives() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
		List<Future<String>> running = new ArrayList<>();
		for (int client = 0; client < CLIENTS; client++) {
			List<RawFhirClient> nodes = client % 2 == 0 ? List.of(a, b) : List.of(b, a);
			running.add(pool.submit(() -> postClient(nodes)));
		}
		List<String> alternatingClients = new ArrayList<>();
		for (Future<String> client : running) {
			alternatingClients.add(client.get());
		}
		pool.shutdown();

		List<DerivedOfClient> single = settled(a, singleNodeClients);
		List<DerivedOfClient> alternating = settled(b, alternatingClients);

		assertThat(failures).as("requests not answered 200/201").isEmpty();
		DerivedOfClient reference = single.get(0);
		assertThat(reference.count("Task ")).as(reference.lines().toString()).isEqualTo(ClientSessions.TASKS);
		assertThat(reference.count("Flag ")).as(reference.lines().toString()).isEqualTo(ClientSessions.FLAGS);
		assertThat(reference.countMatching(ClientSessions.COMPARISON_LINE)).isEqualTo(ClientSessions.COMPARISONS);
		assertThat(reference.countMatching(ClientSessions.SPLIT_LINE)).isEqualTo(ClientSessions.SPLITS);
		for (DerivedOfClient client : single) {
			assertThat(client.lines()).as("a single-node client").isEqualTo(reference.lines());
			assertThat(client.duplicateIdentifiers()).isEmpty();
		}
		for (DerivedOfClient client : alternating) {
			assertThat(client.lines()).as("a client posted to both nodes").isEqualTo(reference.lines());
			assertThat(client.duplicateIdentifiers()).isEmpty();
		}
	}

	@Test
	@Order(2)
	void aSubscriptionCreatedOnOneNodeNotifiesOnceOfEachChangeMadeOnEitherNode() throws Exception {
		try (NotificationReceiver receiver = NotificationReceiver.start()) {
			String patient = createPatient(a);
			receiver.subscribe(
					a,
					b,
					"Observation?subject=" + patient
							+ "&code=https://alliancefhir.org/fhir/CodeSystem/alliance|srs-total");

			// one change a second for longer than HAPI's 5-second delivery round, so both nodes deliver some
			List<RawFhirClient> nodes = List.of(b, a);
			for (int session = 0; session < SUBSCRIBED_CHANGES; session++) {
				post(
						nodes.get(session % 2),
						sessions.json(sessions.srs(SRS, patient, ClientSessions.day(session), 34.0 + session)));
				Thread.sleep(1000);
			}
			List<String> scores =
					a.all("/Observation?subject=" + patient + "&code=" + SRS_TOTAL, Observation.class).stream()
							.map(o -> "Observation/" + o.getIdElement().getIdPart())
							.toList();

			assertThat(scores).hasSize(SUBSCRIBED_CHANGES);
			assertThat(receiver.awaitOnceEach(scores)).containsExactlyInAnyOrderElementsOf(scores);
		}
	}

	@Test
	@Order(3)
	void aFeedbackRuleChangedThroughOneNodeIsUsedByTheOtherWithinFifteenSeconds() throws Exception {
		PlanDefinition original = a.all(
						"/PlanDefinition?url=https://alliancefhir.org/fhir/PlanDefinition/srs-feedback",
						PlanDefinition.class)
				.get(0);
		assertThat(dropAlertOnNodeB())
				.as("a drop of 0.7 under the shipped rule")
				.isFalse();

		PlanDefinition changed = original.copy();
		PlanDefinitionActionComponent drop = changed.getAction().stream()
				.filter(action -> action.getId().equals("srs-drop"))
				.findFirst()
				.orElseThrow();
		assertThat(drop.getConditionFirstRep().getExpression().getExpression()).isEqualTo("%change <= -1");
		drop.getConditionFirstRep().getExpression().setExpression("%change <= -0.5");
		String path = "/PlanDefinition/" + original.getIdElement().getIdPart();
		put(a, path, encode(changed));
		try {
			assertUsedByNodeBWithinFifteenSeconds(this::dropAlertOnNodeB);
		} finally {
			original.getMeta().setVersionId(null);
			put(b, path, encode(original));
		}
	}

	@Test
	@Order(4)
	void aCutOffChangedThroughOneNodeIsUsedByTheOtherWithinFifteenSeconds() throws Exception {
		String path = "/ObservationDefinition/srs-total";
		ObservationDefinition original =
				a.parse(ObservationDefinition.class, a.get(path).body());
		assertThat(lowSrsOnNodeB(37.0)).as("37 under the shipped cut-off of 36").isFalse();

		ObservationDefinition changed = original.copy();
		ObservationDefinition.ObservationDefinitionQualifiedIntervalComponent recommended =
				changed.getQualifiedInterval().stream()
						.filter(interval ->
								interval.getCategory() == ObservationDefinition.ObservationRangeCategory.REFERENCE)
						.findFirst()
						.orElseThrow();
		assertThat(recommended.getRange().getLow().getValue()).isEqualByComparingTo("36");
		recommended.getRange().getLow().setValue(38);
		put(a, path, encode(changed));
		try {
			assertUsedByNodeBWithinFifteenSeconds(() -> lowSrsOnNodeB(37.0));
		} finally {
			original.getMeta().setVersionId(null);
			put(b, path, encode(original));
		}
	}

	/** Tries on node B until the change shows, and fails unless a try started within 15 s of the change shows it. */
	private static void assertUsedByNodeBWithinFifteenSeconds(Callable<Boolean> showsTheChange) throws Exception {
		long changedAt = System.nanoTime();
		Duration attemptedAfter;
		boolean shown;
		do {
			attemptedAfter = Duration.ofNanos(System.nanoTime() - changedAt);
			shown = showsTheChange.call();
		} while (!shown && attemptedAfter.compareTo(CONTENT_REACHES_OTHER_NODE) < 0);

		assertThat(shown).as("node B used the change").isTrue();
		assertThat(attemptedAfter).isLessThanOrEqualTo(CONTENT_REACHES_OTHER_NODE);
	}

	/** Posts one SRS for a new client through node B and tells whether its score is interpreted as low. */
	private boolean lowSrsOnNodeB(double total) throws Exception {
		String patient = createPatient(b);
		post(b, sessions.json(sessions.srs(SRS, patient, ClientSessions.day(0), total)));
		List<Observation> scores = b.all("/Observation?subject=" + patient + "&code=" + SRS_TOTAL, Observation.class);
		assertThat(scores).hasSize(1);
		return scores.get(0).getInterpretation().stream()
				.anyMatch(i -> i.getCodingFirstRep().getCode().equals("L"));
	}

	/**
	 * Posts an SRS drop of 0.7 points for a new client through node B, waits for its comparison (the feedback has run)
	 * and tells whether a drop alert was raised.
	 */
	private boolean dropAlertOnNodeB() throws Exception {
		String patient = createPatient(b);
		post(b, sessions.json(sessions.srs(SRS, patient, ClientSessions.day(0), 38.0)));
		post(b, sessions.json(sessions.srs(SRS, patient, ClientSessions.day(1), 37.3)));
		long deadline = System.nanoTime() + FEEDBACK_TIMEOUT.toNanos();
		while (true) {
			DerivedOfClient derived = DerivedOfClient.read(b, patient);
			if (derived.count("Observation srs-total-change") == 1) {
				return derived.count("Task alert-drop") > 0;
			}
			assertThat(System.nanoTime()).as("feedback of " + derived.lines()).isLessThan(deadline);
			Thread.sleep(200);
		}
	}

	/** One client's people and sessions, each request to the next of {@code nodes} in turn; returns the patient. */
	private String postClient(List<RawFhirClient> nodes) throws IOException, InterruptedException {
		String patient = createPatient(nodes.get(0));
		String therapist = created(nodes.get(nodes.size() - 1), "/Practitioner", "{\"resourceType\":\"Practitioner\"}");
		String encounter = created(
				nodes.get(0),
				"/Encounter",
				"{\"resourceType\":\"Encounter\",\"status\":\"finished\",\"class\":{\"system\":"
						+ "\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"AMB\"},"
						+ "\"subject\":{\"reference\":\"" + patient + "\"},"
						+ "\"participant\":[{\"individual\":{\"reference\":\"" + therapist + "\"}}]}");
		List<String> responses = sessions.responses(patient, therapist, encounter);
		for (int i = 0; i < responses.size(); i++) {
			post(nodes.get(i % nodes.size()), responses.get(i));
		}
		return patient;
	}

	private String createPatient(RawFhirClient node) throws IOException, InterruptedException {
		return created(
				node, "/Patient", "{\"resourceType\":\"Patient\",\"birthDate\":\"" + ClientSessions.BIRTH_DATE + "\"}");
	}

	private String created(RawFhirClient node, String path, String json) throws IOException, InterruptedException {
		HttpResponse<String> response = node.post(path, json);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return path.substring(1) + "/" + FixtureWorkload.idFromLocation(response);
	}

	private void post(RawFhirClient node, String response) throws IOException, InterruptedException {
		record(node.post("/QuestionnaireResponse", response));
	}

	private void put(RawFhirClient node, String path, String json) throws IOException, InterruptedException {
		HttpResponse<String> response = node.put(path, json);
		record(response);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
	}

	private static String encode(Resource resource) {
		return FhirContext.forR4Cached().newJsonParser().encodeResourceToString(resource);
	}

	private void record(HttpResponse<String> response) {
		if (response.statusCode() != 200 && response.statusCode() != 201) {
			failures.add(response.request().method() + " " + response.request().uri() + ": " + response.statusCode()
					+ " " + response.body());
		}
	}

	/**
	 * What the server stored about each client once its feedback is complete (the alerts, comparisons and splits are
	 * there and nothing changed for a second), or at the timeout.
	 */
	private static List<DerivedOfClient> settled(RawFhirClient node, List<String> patients)
			throws IOException, InterruptedException {
		long deadline = System.nanoTime() + FEEDBACK_TIMEOUT.toNanos();
		List<DerivedOfClient> previous = List.of();
		while (true) {
			List<DerivedOfClient> current = new ArrayList<>();
			for (String patient : patients) {
				current.add(DerivedOfClient.read(node, patient));
			}
			boolean complete = current.stream()
					.allMatch(c -> c.count("Task ") >= ClientSessions.TASKS
							&& c.count("Flag ") >= ClientSessions.FLAGS
							&& c.countMatching(ClientSessions.COMPARISON_LINE) >= ClientSessions.COMPARISONS
							&& c.countMatching(ClientSessions.SPLIT_LINE) >= ClientSessions.SPLITS);
			if ((complete && current.equals(previous)) || System.nanoTime() > deadline) {
				return current;
			}
			previous = current;
			Thread.sleep(1000);
		}
	}
}
