package org.alliancefhir.server;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A new, uniquely named database on the local PostgreSQL server (127.0.0.1:5432, trust authentication), dropped on
 * close; set {@code POSTGRES_URL} to point elsewhere. When PostgreSQL is unreachable the calling test is skipped,
 * unless {@code REQUIRE_POSTGRES=true} (as in CI), where it fails.
 */
public final class FreshPostgresDatabase implements AutoCloseable {

	private static final String SERVER_URL =
			System.getenv().getOrDefault("POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/");
	private static final String USER = System.getenv().getOrDefault("POSTGRES_USER", "postgres");

	private final String name;

	private FreshPostgresDatabase(String name) {
		this.name = name;
	}

	public static FreshPostgresDatabase create() {
		String name =
				"alliance_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		try (Connection admin = adminConnection();
				Statement statement = admin.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		} catch (SQLException e) {
			boolean required = Boolean.parseBoolean(System.getenv().getOrDefault("REQUIRE_POSTGRES", "false"));
			if (required) {
				throw new IllegalStateException("PostgreSQL is required but not reachable at " + SERVER_URL, e);
			}
			Assumptions.abort("PostgreSQL not reachable at " + SERVER_URL + ": " + e.getMessage());
		}
		return new FreshPostgresDatabase(name);
	}

	public String jdbcUrl() {
		return SERVER_URL + name;
	}

	/** Spring properties that point the server at this database. */
	public Map<String, Object> serverProperties() {
		return Map.of(
				"spring.datasource.url",
				jdbcUrl(),
				"spring.datasource.username",
				USER,
				"spring.datasource.password",
				"",
				"spring.jpa.properties.hibernate.dialect",
				"ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect");
	}

	/** Runs one SQL statement as the administrator, e.g. to take the database away from a running server. */
	public void executeAsAdmin(String sql) throws SQLException {
		try (Connection admin = adminConnection();
				Statement statement = admin.createStatement()) {
			statement.execute(sql.replace("{db}", name));
		}
	}

	public String name() {
		return name;
	}

	@Override
	public void close() throws SQLException {
		executeAsAdmin("DROP DATABASE IF EXISTS " + name.toLowerCase(Locale.ROOT) + " WITH (FORCE)");
	}

	private static Connection adminConnection() throws SQLException {
		return DriverManager.getConnection(SERVER_URL + "postgres", USER, "");
	}
}
