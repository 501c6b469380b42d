package org.alliancefhir.content;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The SHA-256 of the content a database last had installed, in a one-row table of the server's own
 * ({@code alliance_content_state}), so a start with the same content skips the installation. Written through the
 * data source, it joins the installation's transaction.
 */
public class InstalledContentHash {

	static final String TABLE = "alliance_content_state";
	private static final String KEY = "content";

	private final JdbcTemplate jdbc;

	public InstalledContentHash(DataSource dataSource) {
		this.jdbc = new JdbcTemplate(dataSource);
	}

	/** The hash of the content: every file's name and resource, in the reader's order. */
	static String of(List<ContentFile> content, FhirContext fhirContext) {
		IParser parser = fhirContext.newJsonParser();
		MessageDigest digest = sha256();
		for (ContentFile file : content) {
			digest.update(file.fileName().getBytes(StandardCharsets.UTF_8));
			digest.update((byte) 0);
			digest.update(parser.encodeResourceToString(file.resource()).getBytes(StandardCharsets.UTF_8));
			digest.update((byte) 0);
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	/** The hash recorded with the last installation, if any. */
	Optional<String> installed() {
		createTable();
		return jdbc.queryForList("SELECT hash FROM " + TABLE + " WHERE name = ?", String.class, KEY).stream()
				.findFirst();
	}

	/** Records the hash of the content just installed (call inside the installation's transaction). */
	void record(String hash) {
		createTable();
		jdbc.update("DELETE FROM " + TABLE + " WHERE name = ?", KEY);
		jdbc.update("INSERT INTO " + TABLE + " (name, hash) VALUES (?, ?)", KEY, hash);
	}

	private void createTable() {
		jdbc.execute(
				"CREATE TABLE IF NOT EXISTS " + TABLE + " (name VARCHAR(64) PRIMARY KEY, hash VARCHAR(64) NOT NULL)");
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
		}
	}
}
