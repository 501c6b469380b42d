package org.alliancefhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An H2 file database with {@code WRITE_DELAY=0} never rewrites the chunks its commits leave while it is open, so its
 * file grows with every commit; the compaction rewrites those chunks, and leaves every other database alone.
 */
class H2FileCompactionTests {

	/** {@code RETENTION_TIME=0} lets freed space be reused at once, as the server's database does 45 s later. */
	private static final String IMMEDIATE_WRITES = ";WRITE_DELAY=0;RETENTION_TIME=0";

	@TempDir
	Path folder;

	@Test
	void keepsTheFileOfAnImmediatelyWrittenDatabaseSmall() throws Exception {
		JdbcDataSource uncompacted = h2(folder.resolve("uncompacted") + IMMEDIATE_WRITES);
		JdbcDataSource compacted = h2(folder.resolve("compacted") + IMMEDIATE_WRITES);
		H2FileCompaction compaction = new H2FileCompaction(compacted, Duration.ofSeconds(10));
		try (Connection a = uncompacted.getConnection();
				Connection b = compacted.getConnection()) {
			createTable(a);
			createTable(b);
			for (int block = 0; block < 10; block++) {
				commitRows(a, block);
				commitRows(b, block);
				assertThat(compaction.compactOnce()).isTrue();
			}
			assertThat(chunksFillRate(a)).isLessThan(20);
			assertThat(chunksFillRate(b)).isGreaterThan(40);
			assertThat(rows(b)).isEqualTo(rows(a)).isEqualTo(2_000);
		}
		assertThat(Files.size(folder.resolve("compacted.mv.db")))
				.isLessThan(Files.size(folder.resolve("uncompacted.mv.db")) / 4);
	}

	@Test
	void leavesDatabasesAloneWhoseChunksH2RewritesItself() throws Exception {
		for (JdbcDataSource database :
				new JdbcDataSource[] {h2(folder.resolve("delayed").toString()), inMemory()}) {
			H2FileCompaction compaction = new H2FileCompaction(database, Duration.ofSeconds(10));
			try (Connection connection = database.getConnection()) {
				assertThat(H2FileCompaction.storeWithoutBackgroundWriter(connection))
						.isEmpty();
				compaction.start();
				assertThat(compaction.isRunning()).isFalse();
				assertThat(compaction.compactOnce()).isFalse();
			}
		}
	}

	@Test
	void runsOnAnImmediatelyWrittenDatabaseUnlessSwitchedOff() throws Exception {
		JdbcDataSource database = h2(folder.resolve("immediate") + ";WRITE_DELAY=0");
		try (Connection keepsTheDatabaseOpen = database.getConnection()) {
			H2FileCompaction off = new H2FileCompaction(database, Duration.ZERO);
			off.start();
			assertThat(off.isRunning()).isFalse();

			H2FileCompaction on = new H2FileCompaction(database, Duration.ofSeconds(10));
			on.start();
			assertThat(on.isRunning()).isTrue();
			on.stop();
			assertThat(on.isRunning()).isFalse();
		}
	}

	private static JdbcDataSource h2(String file) {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:file:" + file);
		dataSource.setUser("sa");
		return dataSource;
	}

	private static void createTable(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE item(id INT PRIMARY KEY, body VARCHAR(2000))");
			statement.execute("CREATE INDEX item_body ON item(body)");
		}
	}

	/** 200 rows, each in a commit of its own, as a server's small transactions are. */
	private static void commitRows(Connection connection, int block) throws SQLException {
		try (PreparedStatement insert = connection.prepareStatement("INSERT INTO item VALUES (?, ?)")) {
			for (int i = 0; i < 200; i++) {
				insert.setInt(1, block * 200 + i);
				insert.setString(2, "row " + (block * 200 + i) + " ".repeat(500));
				insert.executeUpdate();
			}
		}
	}

	private static int chunksFillRate(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
						+ " WHERE SETTING_NAME = 'info.CHUNKS_FILL_RATE'")) {
			result.next();
			return Integer.parseInt(result.getString(1));
		}
	}

	private static int rows(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM item")) {
			result.next();
			return result.getInt(1);
		}
	}

	private static JdbcDataSource inMemory() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:mem:compaction-test");
		return dataSource;
	}
}
