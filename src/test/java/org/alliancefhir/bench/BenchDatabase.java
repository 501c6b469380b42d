package org.alliancefhir.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.alliancefhir.server.FreshPostgresDatabase;

/** A database for one benchmark server: an H2 file database in a new folder, or a new PostgreSQL database. */
final class BenchDatabase implements AutoCloseable {

	private final String label;
	private final Map<String, String> properties;
	private final FreshPostgresDatabase postgres;

	private BenchDatabase(String label, Map<String, String> properties, FreshPostgresDatabase postgres) {
		this.label = label;
		this.properties = properties;
		this.postgres = postgres;
	}

	/**
	 * An H2 file database in a new folder under {@code workDir}, with the shipped settings (only the folder differs);
	 * it stays there for a second start.
	 */
	static BenchDatabase h2(Path workDir) {
		try {
			Path folder = Files.createTempDirectory(workDir, "h2-");
			return new BenchDatabase("H2", Map.of("DATA_DIR", folder.toString()), null);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/**
	 * A new database on the local PostgreSQL server, dropped on close.
	 *
	 * @throws org.opentest4j.TestAbortedException when PostgreSQL is unreachable and not required
	 */
	static BenchDatabase postgres() {
		FreshPostgresDatabase database = FreshPostgresDatabase.create();
		Map<String, String> properties = new LinkedHashMap<>();
		database.serverProperties().forEach((key, value) -> properties.put(key, String.valueOf(value)));
		return new BenchDatabase("PostgreSQL", properties, database);
	}

	String label() {
		return label;
	}

	/** How a report names this database: "H2 file database" or "PostgreSQL". */
	String description() {
		return postgres == null ? "H2 file database" : label;
	}

	/** Spring properties that point a server at this database. */
	Map<String, String> properties() {
		return properties;
	}

	@Override
	public void close() {
		if (postgres != null) {
			try {
				postgres.close();
			} catch (SQLException e) {
				throw new IllegalStateException("could not drop " + postgres.name(), e);
			}
		}
	}
}
