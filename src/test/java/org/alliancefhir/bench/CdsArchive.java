package org.alliancefhir.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.alliancefhir.server.ServerProcess;

/**
 * Builds what the Dockerfile builds for a fast start: the jar extracted into plain jars (no nested-jar class loading)
 * and a static class-data-sharing archive of the classes a training run loads. JDK 17 crashes while archiving lambda
 * proxy classes of this application (in {@code SystemDictionaryShared::adjust_lambda_proxy_class_dictionary}, both
 * with {@code -XX:ArchiveClassesAtExit} and a static dump), so the class list leaves them out.
 */
final class CdsArchive {

	private CdsArchive() {}

	/** Extracts the jar under {@code folder}, runs the training start and dumps the archive; returns the launch. */
	static Launch prepare(Path jar, Path folder) {
		Path app = folder.resolve("app");
		Path extracted = app.resolve(jar.getFileName());
		Path classList = folder.resolve("classes.lst");
		Path archive = folder.resolve("app.jsa");
		run(
				folder,
				"extract",
				List.of("-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", app.toString()));
		run(
				folder,
				"training",
				List.of(
						"-XX:DumpLoadedClassList=" + classList,
						"-Dspring.context.exit=onRefresh",
						"-jar",
						extracted.toString(),
						"--server.port=0",
						"--server.address=127.0.0.1",
						"--spring.datasource.url=jdbc:h2:file:" + folder.resolve("training/fhir")
								+ ";DB_CLOSE_ON_EXIT=FALSE"));
		try {
			List<String> classes = Files.readAllLines(classList).stream()
					.filter(line -> !line.startsWith("@lambda-proxy"))
					.toList();
			Files.write(classList, classes);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		run(
				folder,
				"dump",
				List.of(
						"-Xshare:dump",
						"-XX:SharedClassListFile=" + classList,
						"-XX:SharedArchiveFile=" + archive,
						"-cp",
						extracted.toString()));
		return Launch.withArchive(extracted, archive);
	}

	private static void run(Path folder, String step, List<String> arguments) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(arguments);
		Path log = folder.resolve("cds-" + step + ".log");
		long started = System.nanoTime();
		try {
			Files.createDirectories(folder);
			Process process = new ProcessBuilder(command)
					.redirectErrorStream(true)
					.redirectOutput(log.toFile())
					.start();
			if (process.waitFor() != 0) {
				throw new IllegalStateException(
						"CDS " + step + " failed; last lines of " + log + ":\n" + ServerProcess.tail(log));
			}
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
		BenchContext.log("CDS %s: %.0f s", step, (System.nanoTime() - started) / 1e9);
	}
}
