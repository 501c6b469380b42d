package org.alliancefhir.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.alliancefhir.server.ServerProcess;

/**
 * Case 5: start-up time and memory. For each launch (plain jar, extracted jar with CDS archive) and heap setting, in
 * interleaved repetitions, the server starts on a new H2 file database (content installed from scratch) and then
 * again on that same database (content unchanged); the time runs from process start to the first moment both
 * {@code /fhir/metadata} and a Questionnaire search that finds the SRS Questionnaire answer 200. The last server of
 * each launch and heap then takes a scored-POST load, to show it works in that heap, and its RSS is read again.
 */
final class StartupCase {

	/** The starts of one launch and heap. */
	private static final class Starts {
		final List<Double> fresh = new ArrayList<>();
		final List<Double> existing = new ArrayList<>();
		final List<Double> freshCpu = new ArrayList<>();
		final List<Double> existingCpu = new ArrayList<>();
		final List<Double> freshRss = new ArrayList<>();
		final List<Double> existingRss = new ArrayList<>();
		LoadResult load;
		double loadRss;
	}

	ResultSection run(BenchContext context) {
		BenchSettings settings = context.settings();
		ResultSection section = new ResultSection(
				"5. Start-up and memory (H2 file database)",
				"Seconds from process start until `/fhir/metadata` answers 200 and `/fhir" + ServerProcess.READY_SEARCH
						+ "` answers 200 with the Questionnaire; median of " + settings.startupRepetitions()
						+ " start(s), launches and heaps interleaved (the plain jar as the baseline at the default heap"
						+ " only). RSS from `/proc/<pid>/status` right after start,"
						+ " and after " + settings.memoryLoadRequests() + " scored POSTs from 4 client threads."
						+ " CPU seconds (user + system) to ready compare starts on a busy machine, where wall-clock time"
						+ " grows with the load. Target: <= 12 s; works in -Xmx512m.",
				"launch, heap",
				"measurement",
				"median",
				"all runs",
				"CPU s to ready (median)",
				"RSS MiB (median)",
				"failed requests");
		Map<String, Starts> starts = new LinkedHashMap<>();
		for (int r = 0; r < settings.startupRepetitions(); r++) {
			boolean last = r == settings.startupRepetitions() - 1;
			for (Launch launch : context.launches()) {
				for (String heap : settings.heaps()) {
					if (!context.isProduct(launch) && !heap.isBlank()) {
						continue; // the plain jar is the baseline of the default heap only
					}
					String label = launch.label() + ", " + (heap.isBlank() ? "JVM default heap" : heap);
					startTwice(context, launch, heap, starts.computeIfAbsent(label, l -> new Starts()), last);
				}
			}
		}
		starts.forEach((label, s) -> {
			section.row(
					label,
					"start, new database",
					seconds(s.fresh),
					all(s.fresh),
					seconds(s.freshCpu),
					LoadResult.median(s.freshRss),
					"");
			if (!s.existing.isEmpty()) {
				section.row(
						label,
						"start, existing database",
						seconds(s.existing),
						all(s.existing),
						seconds(s.existingCpu),
						LoadResult.median(s.existingRss),
						"");
			}
			section.row(
					label,
					String.format(Locale.ROOT, "after %d scored POSTs (%.0f/s)", s.load.requests(), s.load.perSecond()),
					"",
					"",
					"",
					s.loadRss,
					s.load.failures());
		});
		return section;
	}

	private static void startTwice(BenchContext context, Launch launch, String heap, Starts starts, boolean load) {
		try (BenchDatabase database = BenchDatabase.h2(context.workDir())) {
			boolean restart = context.settings().restartOnExistingDatabase();
			try (ServerProcess server = context.start("startup-fresh", launch, database, heap, true)) {
				starts.fresh.add(server.startupSeconds());
				starts.freshCpu.add(server.startupCpuSeconds());
				starts.freshRss.add(server.rssMib());
				BenchContext.log("case 5: %s %s: new database %.1f s", launch.label(), heap, server.startupSeconds());
				if (load && !restart) {
					loadAndMeasure(context, server, launch, heap, starts);
				}
			}
			if (!restart) {
				return;
			}
			try (ServerProcess server = context.start("startup-existing", launch, database, heap, true)) {
				starts.existing.add(server.startupSeconds());
				starts.existingCpu.add(server.startupCpuSeconds());
				starts.existingRss.add(server.rssMib());
				BenchContext.log(
						"case 5: %s %s: existing database %.1f s", launch.label(), heap, server.startupSeconds());
				if (load) {
					loadAndMeasure(context, server, launch, heap, starts);
				}
			}
		}
	}

	private static void loadAndMeasure(
			BenchContext context, ServerProcess server, Launch launch, String heap, Starts starts) {
		starts.load = load(context, server, launch.label() + " " + heap);
		starts.loadRss = server.rssMib();
	}

	private static LoadResult load(BenchContext context, ServerProcess server, String label) {
		Workload workload = new Workload(50);
		HttpDriver http = new HttpDriver(server.baseUrl());
		workload.createPeople(http);
		return context.check(
				"start-up case load, " + label,
				HttpDriver.load(
						context.settings().memoryLoadRequests(),
						4,
						Duration.ofMinutes(5),
						i -> http.post("/QuestionnaireResponse", workload.response(i))));
	}

	private static String seconds(List<Double> values) {
		return String.format(Locale.ROOT, "%.1f s", LoadResult.median(values));
	}

	private static String all(List<Double> values) {
		return values.stream().map(v -> String.format(Locale.ROOT, "%.1f", v)).collect(Collectors.joining(" / "));
	}
}
