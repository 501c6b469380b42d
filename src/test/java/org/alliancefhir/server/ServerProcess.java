package org.alliancefhir.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged server jar running as its own OS process on a free loopback port, as an operator starts it; ready once
 * it serves {@code /fhir/metadata} and a Questionnaire search finds the SRS Questionnaire (an empty result does not
 * count: the content must be installed). Tests kill it with SIGKILL, as a crash or an out-of-memory killer would, and
 * start it again on the same database; the benchmark reads its start-up time, CPU time and RSS.
 */
public final class ServerProcess implements AutoCloseable {

	public static final String READY_SEARCH = "/Questionnaire?url=https://alliancefhir.org/fhir/Questionnaire/srs";

	private static final Duration START_TIMEOUT = Duration.ofMinutes(15);
	private static final HttpClient PROBE = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(2))
			.build();

	private final Process process;
	private final Path log;
	private final String baseUrl;
	private final double startupSeconds;
	private final double startupCpuSeconds;

	private ServerProcess(Process process, Path log, String baseUrl, double startupSeconds) {
		this.process = process;
		this.log = log;
		this.baseUrl = baseUrl;
		this.startupSeconds = startupSeconds;
		this.startupCpuSeconds = cpuSeconds();
	}

	/**
	 * Starts {@code target/alliance-fhir-server-*.jar} (Failsafe runs after {@code package}) with {@code -Xmx512m},
	 * the given properties as arguments and WARN logging, and waits until it is ready.
	 */
	static ServerProcess start(Map<String, Object> properties, Path log) {
		Map<String, Object> arguments = new LinkedHashMap<>(properties);
		arguments.putIfAbsent("logging.level.root", "WARN");
		return start(jar(), log, List.of("-Xmx512m", "-XX:TieredStopAtLevel=1"), arguments);
	}

	/**
	 * Starts the jar and waits until it is ready.
	 *
	 * @param jvmOptions e.g. {@code -Xmx512m}; blank entries are ignored
	 * @param properties Spring properties, passed as command-line arguments
	 */
	public static ServerProcess start(Path jar, Path log, List<String> jvmOptions, Map<String, ?> properties) {
		int port = freePort();
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		jvmOptions.stream().filter(o -> !o.isBlank()).forEach(command::add);
		command.add("-jar");
		command.add(jar.toString());
		command.add("--server.port=" + port);
		command.add("--server.address=127.0.0.1");
		properties.forEach((key, value) -> command.add("--" + key + "=" + value));
		String baseUrl = "http://127.0.0.1:" + port + "/fhir";
		long started = System.nanoTime();
		Process process;
		try {
			process = new ProcessBuilder(command)
					.redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
					.start();
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		// a harness stopped by a signal must not leave servers behind
		Thread stopper = new Thread(process::destroyForcibly, "stop-" + process.pid());
		Runtime.getRuntime().addShutdownHook(stopper);
		process.onExit().thenRun(() -> removeHook(stopper));
		long deadline = started + START_TIMEOUT.toNanos();
		while (!(answers(baseUrl + "/metadata", "")
				&& answers(baseUrl + READY_SEARCH, "\"resourceType\":\"Questionnaire\""))) {
			if (!process.isAlive() || System.nanoTime() > deadline) {
				process.destroyForcibly();
				throw new IllegalStateException("server did not start; last lines of " + log + ":\n" + tail(log));
			}
			sleep(50);
		}
		return new ServerProcess(process, log, baseUrl, (System.nanoTime() - started) / 1e9);
	}

	public String baseUrl() {
		return baseUrl;
	}

	public double startupSeconds() {
		return startupSeconds;
	}

	/**
	 * CPU time (user + system, all threads) the server had used when it was ready: unlike the wall-clock time it
	 * hardly grows when other processes compete for the cores, so it compares starts on a busy machine.
	 */
	public double startupCpuSeconds() {
		return startupCpuSeconds;
	}

	/** Resident set size in MiB from {@code /proc}, or -1 where there is none. */
	public double rssMib() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
				}
			}
		} catch (IOException | NumberFormatException e) {
			// not Linux, or the process is gone
		}
		return -1;
	}

	public Path log() {
		return log;
	}

	/** SIGKILL: no shutdown hook, no connection pool close, no transaction completes. */
	public void kill() throws InterruptedException {
		process.destroyForcibly();
		process.waitFor(30, TimeUnit.SECONDS);
	}

	/** Stops the server as {@code docker stop} would (SIGTERM), forcibly after 60 s. */
	@Override
	public void close() {
		process.destroy();
		try {
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor();
			}
		} catch (InterruptedException e) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	/** The last 30 lines of a log. */
	public static String tail(Path log) {
		try {
			List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8)
					.lines()
					.toList();
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
		} catch (IOException e) {
			return "(no log: " + e.getMessage() + ")";
		}
	}

	/**
	 * CPU time (user + system, all threads) the server has used so far, NaN where {@code /proc} is missing: the
	 * difference over a stretch of work compares work on a busy machine.
	 */
	public double cpuSeconds() {
		try {
			String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
			// the fields after the command name, which is in parentheses and may contain spaces
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
		} catch (IOException | RuntimeException e) {
			return Double.NaN;
		}
	}

	/**
	 * CPU time (user + system) the server's request threads (Tomcat's {@code http-nio-…}) have used so far, NaN where
	 * {@code /proc} is missing: what requests cost, without the background work (feedback workers, schedulers) that
	 * runs beside them.
	 */
	public double requestCpuSeconds() {
		double seconds = 0;
		try (DirectoryStream<Path> threads =
				Files.newDirectoryStream(Path.of("/proc", String.valueOf(process.pid()), "task"))) {
			for (Path thread : threads) {
				String stat = readOrEmpty(thread.resolve("stat"));
				int open = stat.indexOf('(');
				int close = stat.lastIndexOf(')');
				if (open < 0 || close < open || !stat.substring(open + 1, close).startsWith("http-nio-")) {
					continue;
				}
				String[] fields = stat.substring(close + 2).split(" ");
				seconds += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
			}
			return seconds;
		} catch (IOException | RuntimeException e) {
			return Double.NaN;
		}
	}

	/** A thread's stat line, or empty when the thread ended in the meantime. */
	private static String readOrEmpty(Path stat) {
		try {
			return Files.readString(stat);
		} catch (IOException e) {
			return "";
		}
	}

	/** Whether a GET answers 200 with a body that contains the text. */
	private static boolean answers(String url, String text) {
		try {
			HttpResponse<String> response = PROBE.send(
					HttpRequest.newBuilder(URI.create(url))
							.timeout(Duration.ofSeconds(5))
							.GET()
							.build(),
					HttpResponse.BodyHandlers.ofString());
			return response.statusCode() == 200 && response.body().contains(text);
		} catch (IOException e) {
			return false;
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static Path jar() {
		try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"), "alliance-fhir-server-*.jar")) {
			for (Path jar : jars) {
				return jar.toAbsolutePath();
			}
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		throw new IllegalStateException("No target/alliance-fhir-server-*.jar: run the tests with mvn verify");
	}

	private static void removeHook(Thread hook) {
		try {
			Runtime.getRuntime().removeShutdownHook(hook);
		} catch (IllegalStateException e) {
			// the JVM is shutting down already
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}
}
