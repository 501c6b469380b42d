package org.alliancefhir.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.alliancefhir.server.ServerIntegrationTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Each served Questionnaire, filled with the fixtures in LHC-Forms in headless Chromium, computes their scores; its
 * visual-analogue items carry the slider hints and LHC-Forms draws them with both pole labels readable.
 */
class LhcFormsRenderingIT extends ServerIntegrationTest {

	private static final Path BROWSER_DIR = Path.of("src", "test", "browser");
	private static final Path SCRIPT = BROWSER_DIR.resolve("lhc-forms-check.mjs");
	private static final Path NODE_MODULES = BROWSER_DIR.resolve("node_modules");
	private static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures");
	private static final Path PROFILES = Path.of("profiles");
	private static final String ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl";
	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
	private static final Duration TIMEOUT = Duration.ofMinutes(10);
	/** The script's own bound on the whole run, so that it reports a summary before {@link #TIMEOUT} kills it. */
	private static final Duration SCRIPT_BUDGET = TIMEOUT.minusSeconds(60);
	/** Only what node and Chromium need; nothing else of the test JVM's environment is passed on. */
	private static final List<String> PASSED_ENVIRONMENT = List.of("PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "TZ");

	@Test
	void everyQuestionnaireComputesTheFixtureScoresInLhcForms() throws IOException, InterruptedException {
		Path projectRoot = Path.of("").toAbsolutePath();
		assertThat(projectRoot.resolve(SCRIPT))
				.as("the harness script (working directory must be the project root)")
				.isRegularFile();
		Path node = requireBrowserTooling(projectRoot);
		long expectedRows = countExpectedRows(projectRoot.resolve(FIXTURES));
		long sliderItems = countSliderItems(projectRoot);

		Path stdout = Files.createTempFile("lhc-forms-check-", ".jsonl");
		Path stderr = Files.createTempFile("lhc-forms-check-", ".err");
		try {
			ProcessBuilder builder = new ProcessBuilder(
							node.toString(),
							SCRIPT.toString(),
							"--questionnaires",
							baseUrl(),
							"--fixtures",
							FIXTURES.toString(),
							"--total-timeout-ms",
							Long.toString(SCRIPT_BUDGET.toMillis()))
					.directory(projectRoot.toFile())
					.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
					.redirectOutput(stdout.toFile())
					.redirectError(stderr.toFile());
			Map<String, String> environment = builder.environment();
			environment.clear();
			for (String name : PASSED_ENVIRONMENT) {
				Optional.ofNullable(System.getenv(name)).ifPresent((value) -> environment.put(name, value));
			}

			Process process = builder.start();
			if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				process.descendants().forEach(ProcessHandle::destroyForcibly);
				process.destroyForcibly();
				fail("lhc-forms-check did not finish within " + TIMEOUT + "\n" + tail(stderr));
			}
			int exitCode = process.exitValue();
			JsonNode summary = summary(stdout);
			String report = describe(exitCode, summary, stderr);
			System.out.println("lhc-forms-check summary: " + summary);

			assertThat(exitCode).as(report).isZero();
			assertThat(summary.path("failed").asLong(-1)).as(report).isZero();
			assertThat(summary.path("checked").asLong(-1)).as(report).isEqualTo(expectedRows);
			assertThat(summary.path("vasChecked").asLong(-1))
					.as("visual-analogue items checked for rendering; " + report)
					.isEqualTo(sliderItems);
		} finally {
			Files.deleteIfExists(stdout);
			Files.deleteIfExists(stderr);
		}
	}

	/** The node executable; aborts (or fails, with {@code REQUIRE_BROWSER_TESTS=true}) when a prerequisite is missing. */
	private static Path requireBrowserTooling(Path projectRoot) {
		List<String> missing = new ArrayList<>();
		Optional<Path> node = findOnPath("node");
		if (node.isEmpty()) {
			missing.add("node (Node.js 20) on PATH");
		}
		if (!Files.isExecutable(CHROMIUM)) {
			missing.add(CHROMIUM + " (Debian package chromium)");
		}
		if (!Files.isDirectory(projectRoot.resolve(NODE_MODULES))) {
			missing.add(NODE_MODULES + " (run npm ci in " + BROWSER_DIR + ")");
		}
		if (!missing.isEmpty()) {
			String message = "LHC-Forms browser test needs " + String.join(", ", missing);
			if (Boolean.parseBoolean(System.getenv().getOrDefault("REQUIRE_BROWSER_TESTS", "false"))) {
				fail(message + " (REQUIRE_BROWSER_TESTS=true)");
			}
			Assumptions.abort(message);
		}
		return node.orElseThrow();
	}

	private static Optional<Path> findOnPath(String executable) {
		String path = System.getenv().getOrDefault("PATH", "");
		return Stream.of(path.split(File.pathSeparator))
				.filter((dir) -> !dir.isBlank())
				.map((dir) -> Path.of(dir, executable))
				.filter(Files::isExecutable)
				.findFirst();
	}

	/** Data rows (header excluded) of every {@code <questionnaire id>/expected-scores.csv}. */
	private static long countExpectedRows(Path fixtures) throws IOException {
		long rows = 0;
		try (Stream<Path> folders = Files.list(fixtures)) {
			for (Path csv : folders.map((folder) -> folder.resolve("expected-scores.csv"))
					.filter(Files::isRegularFile)
					.toList()) {
				rows += Files.readAllLines(csv, StandardCharsets.UTF_8).stream()
						.skip(1)
						.filter((line) -> !line.isBlank())
						.count();
			}
		}
		assertThat(rows).as("rows in %s/*/expected-scores.csv", fixtures).isPositive();
		return rows;
	}

	/** Items with SDC itemControl {@code slider} in the Questionnaires that have fixtures (each checked once). */
	private static long countSliderItems(Path projectRoot) throws IOException {
		long count = 0;
		try (Stream<Path> folders = Files.list(projectRoot.resolve(FIXTURES))) {
			for (Path folder : folders.filter(Files::isDirectory).toList()) {
				Path questionnaire =
						projectRoot.resolve(PROFILES).resolve("Questionnaire-" + folder.getFileName() + ".json");
				count += countSliders(
						new ObjectMapper().readTree(questionnaire.toFile()).path("item"));
			}
		}
		assertThat(count).as("slider items in %s", PROFILES).isPositive();
		return count;
	}

	private static long countSliders(JsonNode items) {
		long count = 0;
		for (JsonNode item : items) {
			if (isSlider(item)) {
				count++;
			}
			count += countSliders(item.path("item"));
		}
		return count;
	}

	private static boolean isSlider(JsonNode item) {
		for (JsonNode extension : item.path("extension")) {
			String code = extension.at("/valueCodeableConcept/coding/0/code").asText();
			if (ITEM_CONTROL.equals(extension.path("url").asText()) && code.equals("slider")) {
				return true;
			}
		}
		return false;
	}

	/** The last stdout line, which the script writes as its summary object. */
	private static JsonNode summary(Path stdout) throws IOException {
		List<String> lines = Files.readAllLines(stdout, StandardCharsets.UTF_8).stream()
				.filter((line) -> !line.isBlank())
				.toList();
		if (lines.isEmpty()) {
			return new ObjectMapper().createObjectNode();
		}
		try {
			return new ObjectMapper().readTree(lines.get(lines.size() - 1));
		} catch (IOException ex) {
			return new ObjectMapper().createObjectNode().put("unparsable", lines.get(lines.size() - 1));
		}
	}

	private static String describe(int exitCode, JsonNode summary, Path stderr) throws IOException {
		StringBuilder text = new StringBuilder("lhc-forms-check exit code ")
				.append(exitCode)
				.append(", checked ")
				.append(summary.path("checked").asText("?"))
				.append(", failed ")
				.append(summary.path("failed").asText("?"));
		if (summary.hasNonNull("error")) {
			text.append("\nerror: ").append(summary.get("error").asText());
		}
		for (JsonNode failure : summary.path("failures")) {
			text.append("\n  ").append(failure.asText());
		}
		for (JsonNode warning : summary.path("warnings")) {
			text.append("\n  warning: ").append(warning.asText());
		}
		String errors = tail(stderr);
		if (!errors.isBlank()) {
			text.append("\nstderr:\n").append(errors);
		}
		return text.toString();
	}

	private static String tail(Path file) throws IOException {
		String text = Files.readString(file, StandardCharsets.UTF_8);
		return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
	}
}
