package org.alliancefhir.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged server jar started as a separate OS process (Failsafe runs after {@code package}), so a test can kill
 * it with SIGKILL the way a crash or an out-of-memory killer would, then start it again on the same database.
 */
final class ServerProcess implements AutoCloseable {

	private static final Duration STARTUP = Duration.ofMinutes(5);

	private final Process process;
	private final int port;
	private final Path log;

	private ServerProcess(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
	}

	/** Starts the jar with {@code -Xmx512m}, the given properties as arguments, and waits until it serves FHIR. */
	static ServerProcess start(Map<String, Object> properties, Path log) throws IOException, InterruptedException {
		int port = freePort();
		List<String> command = new ArrayList<>(List.of(
				ProcessHandle.current().info().command().orElse("java"),
				"-Xmx512m",
				"-XX:TieredStopAtLevel=1",
				"-jar",
				jar().toString(),
				"--server.port=" + port,
				"--logging.level.root=WARN"));
		properties.forEach((name, value) -> command.add("--" + name + "=" + value));
		Process process = new ProcessBuilder(command)
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.start();
		ServerProcess server = new ServerProcess(process, port, log);
		server.awaitMetadata();
		return server;
	}

	String baseUrl() {
		return "http://localhost:" + port + "/fhir";
	}

	/** SIGKILL: no shutdown hook, no connection pool close, no transaction completes. */
	void kill() throws InterruptedException {
		process.destroyForcibly();
		process.waitFor(30, TimeUnit.SECONDS);
	}

	@Override
	public void close() throws InterruptedException {
		process.destroy();
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			kill();
		}
	}

	private void awaitMetadata() throws IOException, InterruptedException {
		HttpClient http = HttpClient.newBuilder()
				.version(HttpClient.Version.HTTP_1_1)
				.connectTimeout(Duration.ofSeconds(2))
				.build();
		Instant deadline = Instant.now().plus(STARTUP);
		while (Instant.now().isBefore(deadline)) {
			if (!process.isAlive()) {
				throw new IllegalStateException(
						"The server exited with " + process.exitValue() + "; log:\n" + logTail());
			}
			try {
				HttpResponse<Void> metadata = http.send(
						HttpRequest.newBuilder(URI.create(baseUrl() + "/metadata"))
								.timeout(Duration.ofSeconds(30))
								.build(),
						HttpResponse.BodyHandlers.discarding());
				if (metadata.statusCode() == 200) {
					return;
				}
			} catch (IOException notYet) {
				// not listening yet
			}
			Thread.sleep(500);
		}
		kill();
		throw new IllegalStateException(
				"The server did not serve /fhir/metadata within " + STARTUP + "; log:\n" + logTail());
	}

	private String logTail() throws IOException {
		List<String> lines = Files.readAllLines(log);
		return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
	}

	private static Path jar() throws IOException {
		try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"), "alliance-fhir-server-*.jar")) {
			for (Path jar : jars) {
				return jar.toAbsolutePath();
			}
		}
		throw new IllegalStateException("No target/alliance-fhir-server-*.jar: run the tests with mvn verify");
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}
}
