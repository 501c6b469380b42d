package org.alliancefhir.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FHIR NPM package of {@code profiles/} is reproducible: the same content and timestamp give the same bytes. */
class NpmPackageWriterTests {

	private final NpmPackageWriter writer = new NpmPackageWriter(
			Path.of("profiles"),
			Path.of("src/main/npm/package.json"),
			"0.0.0-test",
			Instant.parse("2026-01-01T00:00:00Z"));

	@Test
	void writingTwiceGivesTheSameBytes(@TempDir Path dir) throws IOException {
		int resources = writer.write(dir.resolve("first.tgz"));
		writer.write(dir.resolve("second.tgz"));

		assertThat(resources).isGreaterThan(60);
		assertThat(Files.readAllBytes(dir.resolve("second.tgz")))
				.isEqualTo(Files.readAllBytes(dir.resolve("first.tgz")));
	}
}
