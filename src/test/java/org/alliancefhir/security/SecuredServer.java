package org.alliancefhir.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.alliancefhir.server.FreshPostgresDatabase;
import org.alliancefhir.server.LaunchedServer;

/**
 * The one server with authentication on that every security integration test shares (and one on PostgreSQL for the
 * tests that mark themselves {@link OnPostgres}): started on first use, with its own database and the test keys' JWK set in a temporary file, and stopped when the JVM exits. All
 * security settings of the tests are here.
 */
final class SecuredServer {

	static final String AUTHORIZATION_ENDPOINT = TestKeys.ISSUER + "/protocol/openid-connect/auth";
	static final String TOKEN_ENDPOINT = TestKeys.ISSUER + "/protocol/openid-connect/token";

	private static SecuredServer shared;
	private static SecuredServer sharedOnPostgres;

	final LaunchedServer server;
	final TestKeys keys;
	final Path jwksFile;

	private final FreshPostgresDatabase database;

	private SecuredServer(LaunchedServer server, TestKeys keys, Path jwksFile, FreshPostgresDatabase database) {
		this.server = server;
		this.keys = keys;
		this.jwksFile = jwksFile;
		this.database = database;
	}

	static synchronized SecuredServer get() {
		if (shared == null) {
			shared = start();
			Runtime.getRuntime().addShutdownHook(new Thread(shared::stop));
		}
		return shared;
	}

	/** The same, on a fresh PostgreSQL database dropped when the JVM exits (the test is skipped without one). */
	static synchronized SecuredServer onPostgres() {
		if (sharedOnPostgres == null) {
			FreshPostgresDatabase database = FreshPostgresDatabase.create();
			sharedOnPostgres = start(database.serverProperties(), database);
			Runtime.getRuntime().addShutdownHook(new Thread(sharedOnPostgres::stop));
		}
		return sharedOnPostgres;
	}

	private static SecuredServer start() {
		return start(
				Map.of(
						"spring.datasource.url",
						"jdbc:h2:mem:secured-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000"),
				null);
	}

	private static SecuredServer start(Map<String, Object> databaseProperties, FreshPostgresDatabase database) {
		try {
			TestKeys keys = TestKeys.generate();
			Path directory = Files.createTempDirectory("alliance-jwks-");
			Path jwksFile = directory.resolve("jwks.json");
			Files.writeString(jwksFile, keys.jwks());
			Map<String, Object> properties = new HashMap<>(databaseProperties);
			properties.putAll(Map.of(
					"alliance.security.issuer",
					TestKeys.ISSUER,
					"alliance.security.audience",
					TestKeys.AUDIENCE,
					"alliance.security.jwks-uri",
					jwksFile.toUri(),
					"alliance.security.authorization-endpoint",
					AUTHORIZATION_ENDPOINT,
					"alliance.security.token-endpoint",
					TOKEN_ENDPOINT,
					"alliance.security.smart-capabilities",
					"launch-ehr,context-ehr-patient,launch-standalone"));
			LaunchedServer server = LaunchedServer.start(properties);
			return new SecuredServer(server, keys, jwksFile, database);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private void stop() {
		server.close();
		if (database != null) {
			try {
				database.close();
			} catch (SQLException e) {
				// a test database left behind is harmless
			}
		}
		try (Stream<Path> files = Files.walk(jwksFile.getParent())) {
			files.sorted(Comparator.reverseOrder())
					.forEach(path -> path.toFile().delete());
		} catch (IOException e) {
			// a temporary directory left behind is harmless
		}
	}
}
