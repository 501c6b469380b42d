package org.alliancefhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server killed with SIGKILL while four clients store responses restarts on the same database with every
 * acknowledged response stored, and every stored response with exactly its score Observations: the response and
 * its scores commit in one transaction, or not at all. The killed server runs no feedback worker, so the feedback of
 * everything it stored is still due in the outbox when it dies; the restarted server derives it, once. One kill and
 * restart per database covers both, since every server start costs half a minute of the build.
 */
@Tag("robustness")
class CrashRecoveryIT {

	private static final Logger LOG = LoggerFactory.getLogger(CrashRecoveryIT.class);

	private static final int CLIENTS = 4;
	private static final Duration WRITING_BEFORE_THE_KILL = Duration.ofSeconds(6);

	@TempDir
	Path work;

	@Test
	void aServerKilledMidWriteOnAnH2FileLosesNothingAndDerivesTheFeedbackDueOnceAfterTheRestart() throws Exception {
		// the shipped default H2 URL, in a directory of the test's own
		crashAndRecover("H2", Map.of("DATA_DIR", work.resolve("data").toAbsolutePath()));
	}

	@Test
	void aServerKilledMidWriteOnPostgresLosesNothingAndDerivesTheFeedbackDueOnceAfterTheRestart() throws Exception {
		try (FreshPostgresDatabase database = FreshPostgresDatabase.create()) {
			crashAndRecover("PostgreSQL", database.serverProperties());
		}
	}

	/**
	 * Posts an SRS series of three sessions (38, 34, 37.2) for a client of its own; the first server runs no feedback
	 * worker, so their feedback and AuditEvents are still in the outboxes when it is killed.
	 */
	private static Series postSeries(RawFhirClient fhir) throws IOException, InterruptedException {
		String client = "Patient/crash-" + UUID.randomUUID().toString().substring(0, 8);
		fhir.store(
				"/" + client,
				"{\"resourceType\":\"Patient\",\"id\":\"" + client.substring("Patient/".length())
						+ "\",\"birthDate\":\"1990-01-01\"}");
		Map<String, String> responses = new LinkedHashMap<>();
		double[] totals = {38.0, 34.0, 37.2};
		for (int day = 0; day < totals.length; day++) {
			String identifier = UUID.randomUUID().toString();
			HttpResponse<String> created =
					fhir.post("/QuestionnaireResponse", srs(client, day, totals[day], identifier));
			assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
			responses.put(identifier, FixtureWorkload.idFromLocation(created));
		}
		assertThat(fhir.all("/Task?subject=" + client, org.hl7.fhir.r4.model.Task.class))
				.as("no feedback before the kill")
				.isEmpty();
		return new Series(client, responses);
	}

	/**
	 * After the restart the second server derives the series' feedback: exactly the comparisons and alerts of the
	 * series, each once, and the AuditEvent of each response.
	 */
	private static void assertFeedbackDerivedOnce(RawFhirClient fhir, Series series) throws Exception {
		String client = series.client();
		String comparisons = "/Observation?subject=" + client
				+ "&code=https://alliancefhir.org/fhir/CodeSystem/alliance-feedback%7Csrs-total-change";
		long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
		while (fhir.all(comparisons, org.hl7.fhir.r4.model.Observation.class).size() < 2
				&& System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		assertThat(fhir.all(comparisons, org.hl7.fhir.r4.model.Observation.class))
				.extracting(o -> o.getValueQuantity().getValue().doubleValue())
				.containsExactlyInAnyOrder(-4.0, 3.2);
		assertThat(fhir.all("/Task?subject=" + client, org.hl7.fhir.r4.model.Task.class))
				.extracting(t -> t.getCode().getCodingFirstRep().getCode())
				.containsExactlyInAnyOrder("alert-below-cut-off", "alert-drop");
		assertThat(fhir.all("/Flag?subject=" + client, org.hl7.fhir.r4.model.Flag.class))
				.as("only the urgent below-cut-off rule raises a Flag (issue 17)")
				.hasSize(1);
		for (String response : series.responses().values()) {
			String created = "/AuditEvent?entity=QuestionnaireResponse/" + response + "&action=C";
			while (fhir.all(created, org.hl7.fhir.r4.model.AuditEvent.class).isEmpty()
					&& System.nanoTime() < deadline) {
				Thread.sleep(100);
			}
			assertThat(fhir.all(created, org.hl7.fhir.r4.model.AuditEvent.class))
					.as("the creation of a response committed before the kill is audited")
					.hasSize(1);
		}
	}

	/** A client's SRS series and the ids of its responses by their identifiers. */
	private record Series(String client, Map<String, String> responses) {}

	/** An SRS response of the client on day 3 + {@code day} of March 2026 with the total spread over its items. */
	private static String srs(String client, int day, double total, String identifier) {
		double quarter = total / 4;
		StringBuilder items = new StringBuilder();
		for (int i = 1; i <= 4; i++) {
			items.append(i > 1 ? "," : "")
					.append("{\"linkId\":\"q")
					.append(i)
					.append("\",\"answer\":[{\"valueDecimal\":")
					.append(quarter)
					.append("}]}");
		}
		return "{\"resourceType\":\"QuestionnaireResponse\",\"identifier\":{\"system\":\""
				+ FixtureWorkload.IDENTIFIER_SYSTEM + "\",\"value\":\"" + identifier + "\"},"
				+ "\"questionnaire\":\"https://alliancefhir.org/fhir/Questionnaire/srs|1.0.0\","
				+ "\"status\":\"completed\",\"subject\":{\"reference\":\"" + client + "\"},"
				+ "\"author\":{\"reference\":\"" + client + "\"},"
				+ "\"authored\":\"2026-03-0" + (3 + day) + "T10:00:00+01:00\",\"item\":[" + items + "]}";
	}

	private void crashAndRecover(String name, Map<String, Object> database) throws Exception {
		FixtureWorkload workload = new FixtureWorkload();
		Map<String, Integer> scoresPerQuestionnaire;
		Writes writes = new Writes();
		Map<String, Object> noWorker = new HashMap<>(database);
		noWorker.put("alliance.feedback.workers", "0");
		Series series;
		try (ServerProcess first = ServerProcess.start(noWorker, work.resolve("before-the-kill.log"))) {
			RawFhirClient fhir = new RawFhirClient(first.baseUrl());
			series = postSeries(fhir);
			writes.acknowledged.putAll(series.responses());
			workload.createPeople(fhir);
			scoresPerQuestionnaire = workload.learnScoresPerQuestionnaire(fhir);
			writes.acknowledged.putAll(workload.warmUp());

			ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
			List<Future<?>> running = new ArrayList<>();
			for (int c = 0; c < CLIENTS; c++) {
				int client = c;
				running.add(clients.submit(() -> write(fhir, workload, client, writes)));
			}
			Thread.sleep(WRITING_BEFORE_THE_KILL.toMillis());
			awaitTheNextAcknowledgement(writes);
			writes.killed.set(true);
			first.kill();
			for (Future<?> client : running) {
				client.get();
			}
			clients.shutdown();
		}

		try (ServerProcess second = ServerProcess.start(database, work.resolve("after-the-restart.log"))) {
			ScoreAudit audit = ScoreAudit.of(new RawFhirClient(second.baseUrl()), scoresPerQuestionnaire);
			Map<String, String> stored = audit.idsByIdentifier();
			LOG.info(
					"{}: {}",
					name,
					writes.acknowledged.size() + " acknowledged, " + writes.unanswered.size()
							+ " cut off by the kill, " + audit.responses().size() + " responses and "
							+ audit.observations().size() + " Observations stored");

			assertThat(writes.failures)
					.as("answers other than 201 before the kill")
					.isEmpty();
			assertThat(writes.acknowledged).as("acknowledged responses").isNotEmpty();
			writes.acknowledged.forEach((identifier, id) -> assertThat(stored)
					.as("acknowledged response %s", identifier)
					.containsEntry(identifier, id));
			assertThat(stored.keySet()).as("nothing stored that was never sent").isSubsetOf(writes.sent());
			assertThat(audit.problems())
					.as("consistency of responses and scores")
					.isEmpty();
			assertFeedbackDerivedOnce(new RawFhirClient(second.baseUrl()), series);
		}
	}

	/**
	 * Returns as soon as one more response is acknowledged: killing right then gives a database that delays writing
	 * its commits the best chance to lose an acknowledged response.
	 */
	private static void awaitTheNextAcknowledgement(Writes writes) throws InterruptedException {
		int acknowledged = writes.acknowledged.size();
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (writes.acknowledged.size() == acknowledged && System.nanoTime() < deadline) {
			Thread.sleep(1);
		}
	}

	/** One client: posts completed responses of every instrument in turn until the server goes away. */
	private static Void write(RawFhirClient fhir, FixtureWorkload workload, int client, Writes writes) {
		for (int i = client; ; i++) {
			String instrument = FixtureWorkload.INSTRUMENTS.get(i % FixtureWorkload.INSTRUMENTS.size());
			UUID identifier = UUID.randomUUID();
			writes.unanswered.add(identifier.toString());
			try {
				HttpResponse<String> response =
						fhir.post("/QuestionnaireResponse", workload.create(instrument, identifier));
				writes.unanswered.remove(identifier.toString());
				if (response.statusCode() == 201) {
					writes.acknowledged.put(identifier.toString(), FixtureWorkload.idFromLocation(response));
				} else {
					writes.failures.add(response.statusCode() + " " + response.body());
				}
			} catch (IOException e) {
				if (!writes.killed.get()) {
					writes.failures.add("before the kill: " + e);
				}
				return null;
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return null;
			}
		}
	}

	/** What the clients sent and what they heard back. */
	private static final class Writes {
		final Map<String, String> acknowledged = new ConcurrentHashMap<>();
		final Set<String> unanswered = ConcurrentHashMap.newKeySet();
		final List<String> failures = Collections.synchronizedList(new ArrayList<>());
		final AtomicBoolean killed = new AtomicBoolean();

		Set<String> sent() {
			Set<String> sent = ConcurrentHashMap.newKeySet();
			sent.addAll(acknowledged.keySet());
			sent.addAll(unanswered);
			return sent;
		}
	}
}
