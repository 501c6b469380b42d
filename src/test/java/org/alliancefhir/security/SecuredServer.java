package org.alliancefhir.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.alliancefhir.server.LaunchedServer;

/**
 * The one server with authentication on that every security integration test shares: started on first use, with
 * its own in-memory database and the test keys' JWK set in a temporary file, and stopped when the JVM exits. All
 * security settings of the tests are here.
 */
final class SecuredServer {

	static final String AUTHORIZATION_ENDPOINT = TestKeys.ISSUER + "/protocol/openid-connect/auth";
	static final String TOKEN_ENDPOINT = TestKeys.ISSUER + "/protocol/openid-connect/token";

	private static SecuredServer shared;

	final LaunchedServer server;
	final TestKeys keys;
	final Path jwksFile;

	private SecuredServer(LaunchedServer server, TestKeys keys, Path jwksFile) {
		this.server = server;
		this.keys = keys;
		this.jwksFile = jwksFile;
	}

	static synchronized SecuredServer get() {
		if (shared == null) {
			shared = start();
			Runtime.getRuntime().addShutdownHook(new Thread(shared::stop));
		}
		return shared;
	}

	private static SecuredServer start() {
		try {
			TestKeys keys = TestKeys.generate();
			Path directory = Files.createTempDirectory("alliance-jwks-");
			Path jwksFile = directory.resolve("jwks.json");
			Files.writeString(jwksFile, keys.jwks());
			LaunchedServer server = LaunchedServer.start(Map.of(
					"spring.datasource.url",
					"jdbc:h2:mem:secured-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000",
					"alliance.security.issuer",
					TestKeys.ISSUER,
					"alliance.security.audience",
					TestKeys.AUDIENCE,
					"alliance.security.jwks-uri",
					jwksFile.toUri(),
					"alliance.security.authorization-endpoint",
					AUTHORIZATION_ENDPOINT,
					"alliance.security.token-endpoint",
					TOKEN_ENDPOINT));
			return new SecuredServer(server, keys, jwksFile);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private void stop() {
		server.close();
		try (Stream<Path> files = Files.walk(jwksFile.getParent())) {
			files.sorted(Comparator.reverseOrder())
					.forEach(path -> path.toFile().delete());
		} catch (IOException e) {
			// a temporary directory left behind is harmless
		}
	}
}
