package org.alliancefhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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
 * its scores commit in one transaction, or not at all.
 */
@Tag("robustness")
class CrashRecoveryIT {

	private static final Logger LOG = LoggerFactory.getLogger(CrashRecoveryIT.class);

	private static final int CLIENTS = 4;
	private static final Duration WRITING_BEFORE_THE_KILL = Duration.ofSeconds(6);

	@TempDir
	Path work;

	@Test
	void aServerKilledMidWriteOnAnH2FileLosesNoAcknowledgedResponseAndLeavesNoPartialScores() throws Exception {
		// the shipped default H2 URL, in a directory of the test's own
		crashAndRecover("H2", Map.of("DATA_DIR", work.resolve("data").toAbsolutePath()));
	}

	@Test
	void aServerKilledMidWriteOnPostgresLosesNoAcknowledgedResponseAndLeavesNoPartialScores() throws Exception {
		try (FreshPostgresDatabase database = FreshPostgresDatabase.create()) {
			crashAndRecover("PostgreSQL", database.serverProperties());
		}
	}

	private void crashAndRecover(String name, Map<String, Object> database) throws Exception {
		FixtureWorkload workload = new FixtureWorkload();
		Map<String, Integer> scoresPerQuestionnaire;
		Writes writes = new Writes();
		try (ServerProcess first = ServerProcess.start(database, work.resolve("before-the-kill.log"))) {
			RawFhirClient fhir = new RawFhirClient(first.baseUrl());
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
