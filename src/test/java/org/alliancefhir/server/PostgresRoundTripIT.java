package org.alliancefhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The same server runs on a real PostgreSQL database created for this test class and dropped afterwards. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresRoundTripIT {

	private static FreshPostgresDatabase database;
	private static LaunchedServer server;

	@BeforeAll
	static void startServerOnAFreshDatabase() {
		database = FreshPostgresDatabase.create();
		server = LaunchedServer.start(database.serverProperties());
	}

	@AfterAll
	static void stopServerAndDropDatabase() throws Exception {
		if (server != null) {
			server.close();
		}
		if (database != null) {
			database.close();
		}
	}

	@Test
	@Order(1)
	void createsAndFindsAPatient() {
		String family = "Pg-" + UUID.randomUUID();
		Patient patient = new Patient();
		patient.addName().setFamily(family);
		IdType id =
				(IdType) server.client().create().resource(patient).execute().getId();

		Bundle found = server.client()
				.search()
				.forResource(Patient.class)
				.where(Patient.FAMILY.matchesExactly().value(family))
				.returnBundle(Bundle.class)
				.execute();

		assertThat(found.getEntry()).singleElement().satisfies(e -> assertThat(
						e.getResource().getIdElement().getIdPart())
				.isEqualTo(id.getIdPart()));
	}

	@Test
	@Order(2)
	void healthReportsPostgresUp() throws Exception {
		HttpResponse<String> health = health();

		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).contains("\"db\":{\"status\":\"UP\"}").doesNotContain("PostgreSQL");
	}

	@Test
	@Order(3)
	void healthReportsTheDatabaseDownWhenItRefusesConnections() throws Exception {
		database.executeAsAdmin("ALTER DATABASE {db} ALLOW_CONNECTIONS false");
		database.executeAsAdmin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db}'");
		try {
			HttpResponse<String> health = health();

			assertThat(health.statusCode()).isEqualTo(503);
			assertThat(health.body()).contains("\"status\":\"DOWN\"");
		} finally {
			database.executeAsAdmin("ALTER DATABASE {db} ALLOW_CONNECTIONS true");
		}
	}

	private static HttpResponse<String> health() throws Exception {
		return HttpClient.newHttpClient()
				.send(
						HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/actuator/health"))
								.build(),
						HttpResponse.BodyHandlers.ofString());
	}
}
