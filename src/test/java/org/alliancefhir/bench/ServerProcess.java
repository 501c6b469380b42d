package org.alliancefhir.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The built server jar running as its own process on a free loopback port, as an operator would start it; measures
 * the time from process start until it serves {@code /fhir/metadata} and a Questionnaire search that finds the SRS
 * Questionnaire (an empty search result does not count: the content must be installed), and reads its RSS.
 */
final class ServerProcess implements AutoCloseable {

	static final String READY_SEARCH = "/Questionnaire?url=https://alliancefhir.org/fhir/Questionnaire/srs";
	private static final Duration START_TIMEOUT = Duration.ofMinutes(15);

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
	 * Starts the jar and waits until it is ready.
	 *
	 * @param jvmOptions e.g. {@code -Xmx512m}; blank entries are ignored
	 * @param properties Spring properties, passed as command-line arguments
	 */
	static ServerProcess start(Path jar, Path log, List<String> jvmOptions, Map<String, String> properties) {
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
		HttpDriver probe = new HttpDriver(baseUrl);
		long started = System.nanoTime();
		Process process;
		try {
			process = new ProcessBuilder(command)
					.redirectErrorStream(true)
					.redirectOutput(log.toFile())
					.start();
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		// a harness stopped by a signal must not leave servers behind
		Thread stopper = new Thread(process::destroyForcibly, "stop-" + process.pid());
		Runtime.getRuntime().addShutdownHook(stopper);
		process.onExit().thenRun(() -> removeHook(stopper));
		long deadline = started + START_TIMEOUT.toNanos();
		while (!(probe.isOk("/metadata") && probe.finds(READY_SEARCH, "\"resourceType\":\"Questionnaire\""))) {
			if (!process.isAlive() || System.nanoTime() > deadline) {
				process.destroyForcibly();
				throw new IllegalStateException("server did not start; last lines of " + log + ":\n" + tail(log));
			}
			sleep(50);
		}
		return new ServerProcess(process, log, baseUrl, (System.nanoTime() - started) / 1e9);
	}

	String baseUrl() {
		return baseUrl;
	}

	HttpDriver http() {
		return new HttpDriver(baseUrl);
	}

	double startupSeconds() {
		return startupSeconds;
	}

	/**
	 * CPU time (user + system, all threads) the server had used when it was ready: unlike the wall-clock time it
	 * hardly grows when other processes compete for the cores, so it compares starts on a busy machine.
	 */
	double startupCpuSeconds() {
		return startupCpuSeconds;
	}

	private double cpuSeconds() {
		try {
			String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
			// the fields after the command name, which is in parentheses and may contain spaces
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
		} catch (IOException | RuntimeException e) {
			return Double.NaN;
		}
	}

	/** Resident set size in MiB from {@code /proc}, or -1 where there is none. */
	double rssMib() {
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

	Path log() {
		return log;
	}

	/** Stops the server as {@code docker stop} would (SIGTERM), forcibly after 60 s. */
	@Override
	public void close() {
		process.destroy();
		try {
			if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor();
			}
		} catch (InterruptedException e) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
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

	static String tail(Path log) {
		try {
			List<String> lines = new String(Files.readAllBytes(log), java.nio.charset.StandardCharsets.UTF_8)
					.lines()
					.toList();
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
		} catch (IOException e) {
			return "(no log: " + e.getMessage() + ")";
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
