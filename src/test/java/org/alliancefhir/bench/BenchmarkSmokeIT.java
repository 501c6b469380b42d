package org.alliancefhir.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the whole benchmark harness with tiny counts against the jar this build packaged, so the harness keeps
 * working; it asserts that every table is produced and no request failed, never how fast anything was. Tagged
 * {@code benchmark}: it starts four server JVMs, so CI runs it as its own step after {@code mvn verify}.
 */
@Tag("benchmark")
class BenchmarkSmokeIT {

	@Test
	void smokeRunProducesEveryTableWithoutFailedRequests(@TempDir Path folder) throws IOException {
		Path results = folder.resolve("RESULTS.md");

		// the plain jar only: the CDS archive's training run and a second launch would double the time in every build
		BenchmarkMain.Report report =
				BenchmarkMain.run(BenchSettings.smoke(), Set.of(1, 2, 3, 4, 5, 6), builtJar(), false, results);

		assertThat(report.failures()).isEmpty();
		assertThat(Files.readString(results)).isEqualTo(report.markdown());
		assertThat(report.markdown())
				.contains("## 1. Scoring engine and validators alone")
				.contains("ResponseValidationBenchmark.hapiInstanceValidator")
				.contains("## 2. Cost of scoring over HTTP")
				.contains("ratio A/B (on/off)")
				.contains("## 3. Bulk")
				.contains("## 4. EHR reads")
				.containsPattern("\\| PostgreSQL \\| (trend, \\d+ score Obs\\. per page|skipped: )")
				.containsPattern("\\| PostgreSQL \\| (trend, \\d+ Obs\\. without narrative per page|skipped: )")
				.containsPattern("\\| PostgreSQL \\| (\\*\\*ratio score / without narrative\\*\\*|skipped: )")
				.containsPattern("\\| PostgreSQL \\| (`\\$alliance-summary`, 2 series|skipped: )")
				.contains("## 5. Start-up and memory")
				.contains("## 6a. End to end")
				.contains("## 6b. Alert latency")
				.contains("## 6c. 12 responses in one session")
				.contains("Split indices: correct")
				.contains("start, new database")
				.contains("No request failed.");
	}

	private static Path builtJar() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			return files.filter(f -> f.getFileName().toString().matches("alliance-fhir-server-.*\\.jar"))
					.findFirst()
					.orElseThrow(() -> new IllegalStateException("no packaged jar in target/"));
		}
	}
}
