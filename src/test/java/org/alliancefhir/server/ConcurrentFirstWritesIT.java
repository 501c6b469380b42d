package org.alliancefhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Four clients writing at once to a brand-new database never get a server error. */
class ConcurrentFirstWritesIT {

	private static final int CLIENTS = 4;
	private static final int CREATES_PER_CLIENT = 50;

	@Test
	void fourClientsCreatingFiftyResourcesEachOnAFreshH2DatabaseGetNoServerError() throws Exception {
		String url = "jdbc:h2:mem:fresh-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
		try (LaunchedServer server = LaunchedServer.start(Map.of("spring.datasource.url", url))) {
			assertEveryCreateSucceeds(server);
		}
	}

	@Test
	void fourClientsCreatingFiftyResourcesEachOnAFreshPostgresDatabaseGetNoServerError() throws Exception {
		try (FreshPostgresDatabase database = FreshPostgresDatabase.create();
				LaunchedServer server = LaunchedServer.start(database.serverProperties())) {
			assertEveryCreateSucceeds(server);
		}
	}

	private static void assertEveryCreateSucceeds(LaunchedServer server) throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
		List<Future<List<Integer>>> clients = new ArrayList<>();
		for (int c = 0; c < CLIENTS; c++) {
			clients.add(pool.submit(() -> createResources(http, server.baseUrl())));
		}
		List<Integer> statuses = new ArrayList<>();
		for (Future<List<Integer>> client : clients) {
			statuses.addAll(client.get());
		}
		pool.shutdown();

		assertThat(statuses).hasSize(CLIENTS * CREATES_PER_CLIENT).containsOnly(201);
	}

	private static List<Integer> createResources(HttpClient http, String baseUrl) throws Exception {
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < CREATES_PER_CLIENT; i++) {
			String type = i % 2 == 0 ? "Patient" : "Practitioner";
			String body = "{\"resourceType\":\"" + type + "\",\"identifier\":[{\"system\":\"urn:test\",\"value\":\""
					+ UUID.randomUUID() + "\"}],\"name\":[{\"family\":\"Concurrent\"}]}";
			HttpResponse<String> response = http.send(
					HttpRequest.newBuilder(URI.create(baseUrl + "/" + type))
							.header("Content-Type", "application/fhir+json")
							.POST(HttpRequest.BodyPublishers.ofString(body))
							.build(),
					HttpResponse.BodyHandlers.ofString());
			statuses.add(response.statusCode());
		}
		return statuses;
	}
}
