package org.alliancefhir.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.alliancefhir.server.ServerProcess;

/**
 * Case 3: bulk loads, as a migration or a batch upload from an EHR would send them: transaction Bundles of many
 * completed responses, to the scoring-on and the scoring-off server in turn, one Bundle at a time.
 */
final class BulkCase {

	private static final Duration CAP = Duration.ofMinutes(5);

	ResultSection run(BenchContext context, ServerProcess on, ServerProcess off, Workload workload, String where) {
		BenchSettings settings = context.settings();
		int size = settings.bulkBundleSize();
		ResultSection section = new ResultSection(
				"3. Bulk: transaction Bundles of " + size + " responses (" + where + ")",
				"Responses stored per second when posted as transaction Bundles of " + size + " (one Bundle at a time, "
						+ settings.bulkBundlesPerRun() + " per repetition, " + settings.repetitions()
						+ " interleaved repetitions after one warm-up Bundle each). With scoring on, every response"
						+ " in the Bundle is validated and scored in the Bundle's transaction. Request CPU: CPU time"
						+ " of the server's request threads per response (median over repetitions; the feedback"
						+ " workers that follow are excluded), less distorted by a busy machine than responses/s."
						+ " Target: scoring on >= 0.5 × scoring off.",
				"variant",
				"responses/s (median)",
				"per repetition",
				"s per Bundle (p50)",
				"request CPU ms per response",
				"failed");
		int[] next = {0};
		List<LoadResult> onRuns = new ArrayList<>();
		List<LoadResult> offRuns = new ArrayList<>();
		List<Double> onCpu = new ArrayList<>();
		List<Double> offCpu = new ArrayList<>();
		for (int r = -1; r < settings.repetitions(); r++) {
			int bundles = r < 0 ? 1 : settings.bulkBundlesPerRun();
			for (ServerProcess server : List.of(on, off)) {
				HttpDriver http = new HttpDriver(server.baseUrl());
				String label = (server == on ? "bulk, scoring on" : "bulk, scoring off") + (r < 0 ? " warm-up" : "");
				double cpuBefore = server.requestCpuSeconds();
				LoadResult result = context.check(
						label,
						HttpDriver.load(
								bundles, 1, CAP, i -> http.post("", workload.bulkBundle(next[0]++ * size, size))));
				double cpu = 1000 * (server.requestCpuSeconds() - cpuBefore) / (bundles * size);
				if (r >= 0) {
					(server == on ? onRuns : offRuns).add(result);
					(server == on ? onCpu : offCpu).add(cpu);
					BenchContext.log(
							"case 3: %s: %.1f responses/s, %.1f request CPU ms per response",
							label, result.perSecond() * size, cpu);
				}
			}
		}
		row(section, "scoring on", onRuns, onCpu, size);
		row(section, "scoring off", offRuns, offCpu, size);
		section.row("**ratio on/off**", WriteCases.ratio(onRuns, offRuns), "", "", "", "");
		section.row(
				"**ratio on/off in request CPU (off ms / on ms)**",
				WriteCases.medianRatio(offCpu, onCpu),
				"",
				"",
				"",
				"");
		return section;
	}

	private static void row(ResultSection section, String variant, List<LoadResult> runs, List<Double> cpu, int size) {
		List<Double> perSecond = WriteCases.map(runs, r -> r.perSecond() * size);
		section.row(
				variant,
				LoadResult.median(perSecond),
				WriteCases.joined(perSecond),
				LoadResult.median(WriteCases.map(runs, r -> r.percentileMillis(50) / 1000)),
				String.format(Locale.ROOT, "%.1f", LoadResult.median(cpu)),
				runs.stream().mapToInt(LoadResult::failures).sum());
	}
}
