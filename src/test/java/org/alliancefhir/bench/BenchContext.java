package org.alliancefhir.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.alliancefhir.server.ServerProcess;

/** What every case needs: the settings, the jar to start, a work folder, and the tally of failed requests. */
final class BenchContext {

	static final String SCORING_OFF = "alliance.scoring.enabled";

	private final BenchSettings settings;
	private final Launch plain;
	private final Launch product;
	private final Path workDir;
	private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
	private final AtomicInteger servers = new AtomicInteger();

	/**
	 * @param plain the jar as built
	 * @param product how the product runs it (the Dockerfile's command): the same, or extracted with a CDS archive
	 */
	BenchContext(BenchSettings settings, Launch plain, Launch product, Path workDir) {
		this.settings = settings;
		this.plain = plain;
		this.product = product;
		this.workDir = workDir;
	}

	/** Whether the launch is the product's run command (not only the plain-jar baseline). */
	boolean isProduct(Launch launch) {
		return launch.equals(product);
	}

	/** The launches the start-up case compares: the plain jar, and the product's command when that differs. */
	List<Launch> launches() {
		return plain.equals(product) ? List.of(product) : List.of(plain, product);
	}

	BenchSettings settings() {
		return settings;
	}

	Path workDir() {
		return workDir;
	}

	/** Starts the product's launch on the database; {@code scoring} false sets {@code alliance.scoring.enabled=false}. */
	ServerProcess start(String name, BenchDatabase database, String heap, boolean scoring) {
		return start(name, product, database, heap, scoring, Map.of());
	}

	/** As {@link #start(String, BenchDatabase, String, boolean)}, with more Spring properties. */
	ServerProcess start(String name, BenchDatabase database, String heap, boolean scoring, Map<String, String> more) {
		return start(name, product, database, heap, scoring, more);
	}

	ServerProcess start(String name, Launch launch, BenchDatabase database, String heap, boolean scoring) {
		return start(name, launch, database, heap, scoring, Map.of());
	}

	private ServerProcess start(
			String name,
			Launch launch,
			BenchDatabase database,
			String heap,
			boolean scoring,
			Map<String, String> more) {
		Map<String, String> properties = new LinkedHashMap<>(database.properties());
		properties.putAll(more);
		if (!scoring) {
			properties.put(SCORING_OFF, "false");
		}
		int number = servers.incrementAndGet();
		Path log = workDir.resolve(String.format("%02d-%s.log", number, name));
		System.out.printf(
				"[bench] starting %s (%s, %s, %s, scoring %s), log %s%n",
				name,
				launch.label(),
				database.label(),
				heap.isBlank() ? "default heap" : heap,
				scoring ? "on" : "off",
				log);
		List<String> options = new ArrayList<>(launch.jvmOptions());
		options.add(heap);
		// e.g. -Dbench.serverJvmOptions=-XX:StartFlightRecording=filename=/tmp/server.jfr to profile the servers
		for (String option : System.getProperty("bench.serverJvmOptions", "").split(" ")) {
			options.add(option.replace("{name}", String.format("%02d-%s", number, name)));
		}
		return ServerProcess.start(launch.jar(), log, options, properties);
	}

	/** Counts the failed requests of a run, keeping the first message of each. */
	LoadResult check(String what, LoadResult result) {
		if (result.failures() > 0) {
			failures.add(what + ": " + result.failures() + " failed, first: " + result.firstFailure());
		}
		return result;
	}

	void failure(String message) {
		failures.add(message);
	}

	List<String> failures() {
		return failures;
	}

	static void log(String format, Object... arguments) {
		System.out.printf("[bench] " + format + "%n", arguments);
	}
}
