package org.alliancefhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Four clients creating responses of every instrument, amending their answers and searching scores for a bounded
 * time ({@code -Dload.seconds}, default 45) on a fresh database get no server error, and every acknowledged write
 * is stored with exactly its score Observations.
 */
@Tag("robustness")
class LoadIT {

	private static final Logger LOG = LoggerFactory.getLogger(LoadIT.class);

	private static final int CLIENTS = 4;
	private static final Duration DURATION = Duration.ofSeconds(Long.getLong("load.seconds", 45));
	private static final String SCORE_SEARCH = "/Observation?subject=" + FixtureWorkload.SUBJECT + "&code="
			+ URLEncoder.encode("https://alliancefhir.org/fhir/CodeSystem/alliance|srs-total", StandardCharsets.UTF_8)
			+ "&_sort=-date";
	private static final String RESPONSE_SEARCH = "/QuestionnaireResponse?subject=" + FixtureWorkload.SUBJECT;

	@Test
	void fourClientsOnAFreshH2DatabaseGetNoServerErrorAndLoseNoWrite() throws Exception {
		String url = "jdbc:h2:mem:load-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
		try (LaunchedServer server = LaunchedServer.start(Map.of("spring.datasource.url", url))) {
			runLoad(server, "H2");
		}
	}

	@Test
	void fourClientsOnAFreshPostgresDatabaseGetNoServerErrorAndLoseNoWrite() throws Exception {
		try (FreshPostgresDatabase database = FreshPostgresDatabase.create();
				LaunchedServer server = LaunchedServer.start(database.serverProperties())) {
			runLoad(server, "PostgreSQL");
		}
	}

	private void runLoad(LaunchedServer server, String database) throws Exception {
		RawFhirClient fhir = new RawFhirClient(server.baseUrl());
		FixtureWorkload workload = new FixtureWorkload();
		workload.createPeople(fhir);
		Map<String, Integer> scoresPerQuestionnaire = workload.learnScoresPerQuestionnaire(fhir);
		Ledger ledger = new Ledger();
		ledger.created.putAll(workload.warmUp());

		long end = System.nanoTime() + DURATION.toNanos();
		ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
		List<Future<?>> clients = new ArrayList<>();
		for (int c = 0; c < CLIENTS; c++) {
			int client = c;
			clients.add(pool.submit(() -> {
				new Client(fhir, workload, ledger, new Random(client)).runUntil(end);
				return null;
			}));
		}
		for (Future<?> client : clients) {
			client.get();
		}
		pool.shutdown();

		ScoreAudit audit = ScoreAudit.of(fhir, scoresPerQuestionnaire);
		LOG.info(
				"{}: {}",
				database,
				ledger.summary(DURATION) + "; stored " + audit.responses().size() + " responses, "
						+ audit.observations().size() + " Observations");

		assertThat(ledger.unexpected)
				.as("answers other than the expected 200 or 201")
				.isEmpty();
		assertThat(audit.idsByIdentifier()).as("stored responses").isEqualTo(ledger.created);
		assertThat(audit.problems()).as("consistency of responses and scores").isEmpty();
		for (String id : ledger.amended) {
			QuestionnaireResponse stored = audit.response(id);
			assertThat(stored.getStatus()).as("amended response %s", id).isEqualTo(QuestionnaireResponseStatus.AMENDED);
			assertThat(audit.scoresOf(id))
					.as("scores of amended response %s", id)
					.extracting(Observation::getStatus)
					.contains(ObservationStatus.AMENDED)
					.isSubsetOf(ObservationStatus.AMENDED, ObservationStatus.FINAL);
		}
	}

	/** One client: mostly creates, some amendments of its own responses, some searches. */
	private static final class Client {

		private final RawFhirClient fhir;
		private final FixtureWorkload workload;
		private final Ledger ledger;
		private final Random random;
		private final List<String[]> own = new ArrayList<>();

		Client(RawFhirClient fhir, FixtureWorkload workload, Ledger ledger, Random random) {
			this.fhir = fhir;
			this.workload = workload;
			this.ledger = ledger;
			this.random = random;
		}

		void runUntil(long end) throws IOException, InterruptedException {
			while (System.nanoTime() < end) {
				int dice = random.nextInt(10);
				if (dice < 6 || own.isEmpty()) {
					create();
				} else if (dice < 8) {
					amend();
				} else {
					search(dice == 8 ? SCORE_SEARCH : RESPONSE_SEARCH);
				}
			}
		}

		private void create() throws IOException, InterruptedException {
			String instrument = FixtureWorkload.INSTRUMENTS.get(random.nextInt(FixtureWorkload.INSTRUMENTS.size()));
			UUID identifier = UUID.randomUUID();
			long start = System.nanoTime();
			HttpResponse<String> response =
					fhir.post("/QuestionnaireResponse", workload.create(instrument, identifier));
			ledger.record("create", start, response, 201);
			if (response.statusCode() == 201) {
				String id = FixtureWorkload.idFromLocation(response);
				ledger.created.put(identifier.toString(), id);
				own.add(new String[] {instrument, id, identifier.toString()});
			}
		}

		private void amend() throws IOException, InterruptedException {
			String[] target = own.get(random.nextInt(own.size()));
			long start = System.nanoTime();
			HttpResponse<String> response = fhir.put(
					"/QuestionnaireResponse/" + target[1],
					workload.amend(target[0], target[1], UUID.fromString(target[2])));
			ledger.record("amend", start, response, 200);
			if (response.statusCode() == 200) {
				ledger.amended.add(target[1]);
			}
		}

		private void search(String search) throws IOException, InterruptedException {
			long start = System.nanoTime();
			ledger.record("search", start, fhir.get(search), 200);
		}
	}

	/** What the clients did and heard: acknowledged writes, unexpected answers, latencies per kind of request. */
	private static final class Ledger {

		final Map<String, String> created = new ConcurrentHashMap<>();
		final Set<String> amended = ConcurrentHashMap.newKeySet();
		final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
		final Map<String, List<Long>> millis = new ConcurrentHashMap<>();

		void record(String kind, long start, HttpResponse<String> response, int expected) {
			millis.computeIfAbsent(kind, k -> Collections.synchronizedList(new ArrayList<>()))
					.add((System.nanoTime() - start) / 1_000_000);
			if (response.statusCode() != expected) {
				String body = response.body();
				unexpected.add(
						kind + " " + response.statusCode() + " " + body.substring(0, Math.min(300, body.length())));
			}
		}

		String summary(Duration duration) {
			StringBuilder summary = new StringBuilder();
			millis.forEach((kind, list) -> {
				List<Long> sorted = new ArrayList<>(list);
				Collections.sort(sorted);
				summary.append(String.format(
						"%s: %d (%.1f/s, p50 %d ms, p95 %d ms); ",
						kind,
						sorted.size(),
						sorted.size() / (double) duration.toSeconds(),
						sorted.get(sorted.size() / 2),
						sorted.get((int) (sorted.size() * 0.95))));
			});
			return summary + "amended " + amended.size() + " distinct responses";
		}
	}
}
