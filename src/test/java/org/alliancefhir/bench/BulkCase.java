package org.alliancefhir.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
						+ " in the Bundle is validated and scored in the Bundle's transaction.",
				"variant",
				"responses/s (median)",
				"per repetition",
				"s per Bundle (p50)",
				"failed");
		int[] next = {0};
		List<LoadResult> onRuns = new ArrayList<>();
		List<LoadResult> offRuns = new ArrayList<>();
		for (int r = -1; r < settings.repetitions(); r++) {
			int bundles = r < 0 ? 1 : settings.bulkBundlesPerRun();
			for (ServerProcess server : List.of(on, off)) {
				HttpDriver http = new HttpDriver(server.baseUrl());
				String label = (server == on ? "bulk, scoring on" : "bulk, scoring off") + (r < 0 ? " warm-up" : "");
				LoadResult result = context.check(
						label,
						HttpDriver.load(
								bundles, 1, CAP, i -> http.post("", workload.bulkBundle(next[0]++ * size, size))));
				if (r >= 0) {
					(server == on ? onRuns : offRuns).add(result);
					BenchContext.log("case 3: %s: %.1f responses/s", label, result.perSecond() * size);
				}
			}
		}
		row(section, "scoring on", onRuns, size);
		row(section, "scoring off", offRuns, size);
		section.row("**ratio on/off**", WriteCases.ratio(onRuns, offRuns), "", "", "");
		return section;
	}

	private static void row(ResultSection section, String variant, List<LoadResult> runs, int size) {
		List<Double> perSecond = WriteCases.map(runs, r -> r.perSecond() * size);
		section.row(
				variant,
				LoadResult.median(perSecond),
				WriteCases.joined(perSecond),
				LoadResult.median(WriteCases.map(runs, r -> r.percentileMillis(50) / 1000)),
				runs.stream().mapToInt(LoadResult::failures).sum());
	}
}
