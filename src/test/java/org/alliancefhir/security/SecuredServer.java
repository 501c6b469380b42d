package org.alliancefhir.security;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
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
 * tests that mark themselves {@link OnPostgres}): started on first use, with its own database, the test keys' JWK set
 * in a temporary file and a trusted CDS client whose JWK set a small HTTP server in the test serves, and stopped when
 * the JVM exits. All
 * security settings of the tests are here.
 */
final class SecuredServer {

	static final String AUTHORIZATION_ENDPOINT = TestKeys.ISSUER + "/protocol/openid-connect/auth";
	static final String TOKEN_ENDPOINT = TestKeys.ISSUER + "/protocol/openid-connect/token";
	/** The EHR that calls the CDS services with JWTs signed by its own keys. */
	static final String CDS_CLIENT_ISSUER = "https://ehr.alliancefhir.test";

	private static SecuredServer shared;
	private static SecuredServer sharedOnPostgres;

	final LaunchedServer server;
	final TestKeys keys;
	final Path jwksFile;
	final TestKeys cdsClientKeys;
	final String cdsClientJwksUrl;

	private final FreshPostgresDatabase database;
	private final HttpServer cdsClientJwks;

	private SecuredServer(
			LaunchedServer server,
			TestKeys keys,
			Path jwksFile,
			TestKeys cdsClientKeys,
			HttpServer cdsClientJwks,
			FreshPostgresDatabase database) {
		this.server = server;
		this.keys = keys;
		this.jwksFile = jwksFile;
		this.cdsClientKeys = cdsClientKeys;
		this.cdsClientJwks = cdsClientJwks;
		this.cdsClientJwksUrl = jwksUrl(cdsClientJwks);
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
			TestKeys cdsClientKeys = TestKeys.generate();
			HttpServer cdsClientJwks = serve(cdsClientKeys.jwks());
			Map<String, Object> properties = new HashMap<>(databaseProperties);
			properties.put("alliance.cds.trusted-clients", CDS_CLIENT_ISSUER + "=" + jwksUrl(cdsClientJwks));
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
			return new SecuredServer(server, keys, jwksFile, cdsClientKeys, cdsClientJwks, database);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** A JWK set served over HTTP on a free loopback port, as an EHR publishes its keys. */
	private static HttpServer serve(String jwks) throws IOException {
		HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
		http.createContext("/jwks.json", exchange -> {
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		http.start();
		return http;
	}

	private static String jwksUrl(HttpServer http) {
		return "http://127.0.0.1:" + http.getAddress().getPort() + "/jwks.json";
	}

	private void stop() {
		server.close();
		cdsClientJwks.stop(0);
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
