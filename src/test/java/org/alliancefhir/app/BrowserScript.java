package org.alliancefhir.app;

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
import org.junit.jupiter.api.Assumptions;

/**
 * Runs {@code src/test/browser/app-check.mjs} (headless Chromium through playwright-core) with a plan and returns
 * the JSON report it prints; skips the calling test when node, Chromium or {@code node_modules} are missing, unless
 * {@code REQUIRE_BROWSER_TESTS=true}.
 */
final class BrowserScript {

	static final Path SCREENSHOTS = Path.of("target", "app-screenshots");
	private static final Path BROWSER_DIR = Path.of("src", "test", "browser");
	private static final Path SCRIPT = BROWSER_DIR.resolve("app-check.mjs");
	private static final Path NODE_MODULES = BROWSER_DIR.resolve("node_modules");
	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
	private static final Duration TIMEOUT = Duration.ofMinutes(5);
	/** Only what node and Chromium need; nothing else of the test JVM's environment is passed on. */
	private static final List<String> PASSED_ENVIRONMENT = List.of("PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "TZ");

	private BrowserScript() {}

	/** Runs one scenario ({@code dashboard} or {@code smart}) with the plan's values; returns the script's report. */
	static JsonNode run(String scenario, Map<String, Object> plan) throws IOException, InterruptedException {
		Path node = requireBrowserTooling();
		ObjectMapper json = new ObjectMapper();
		Path planFile = Files.createTempFile("app-plan-", ".json");
		Path stdout = Files.createTempFile("app-check-", ".json");
		Path stderr = Files.createTempFile("app-check-", ".err");
		try {
			json.writeValue(planFile.toFile(), plan);
			ProcessBuilder builder = new ProcessBuilder(
							node.toString(), SCRIPT.toString(), "--scenario", scenario, "--plan", planFile.toString())
					.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
					.redirectOutput(stdout.toFile())
					.redirectError(stderr.toFile());
			Map<String, String> environment = builder.environment();
			environment.clear();
			PASSED_ENVIRONMENT.forEach(
					name -> Optional.ofNullable(System.getenv(name)).ifPresent(value -> environment.put(name, value)));
			Process process = builder.start();
			if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				process.descendants().forEach(ProcessHandle::destroyForcibly);
				process.destroyForcibly();
				fail("app-check did not finish within " + TIMEOUT + "\n" + Files.readString(stderr));
			}
			List<String> lines = Files.readAllLines(stdout, StandardCharsets.UTF_8).stream()
					.filter(line -> !line.isBlank())
					.toList();
			if (lines.isEmpty()) {
				fail("app-check printed no report (exit " + process.exitValue() + ")\n" + Files.readString(stderr));
			}
			return json.readTree(lines.get(lines.size() - 1));
		} finally {
			Files.deleteIfExists(planFile);
			Files.deleteIfExists(stdout);
			Files.deleteIfExists(stderr);
		}
	}

	/** The node executable; aborts (or fails, with {@code REQUIRE_BROWSER_TESTS=true}) when a prerequisite is missing. */
	private static Path requireBrowserTooling() {
		List<String> missing = new ArrayList<>();
		Optional<Path> node = findOnPath("node");
		if (node.isEmpty()) {
			missing.add("node (Node.js 20) on PATH");
		}
		if (!Files.isExecutable(CHROMIUM)) {
			missing.add(CHROMIUM + " (Debian package chromium)");
		}
		if (!Files.isDirectory(NODE_MODULES)) {
			missing.add(NODE_MODULES + " (run npm ci in " + BROWSER_DIR + ")");
		}
		if (!missing.isEmpty()) {
			String message = "Clinician app browser test needs " + String.join(", ", missing);
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
				.filter(dir -> !dir.isBlank())
				.map(dir -> Path.of(dir, executable))
				.filter(Files::isExecutable)
				.findFirst();
	}
}
