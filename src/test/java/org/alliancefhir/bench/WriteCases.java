package org.alliancefhir.bench;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.alliancefhir.server.ServerProcess;

/**
 * Cases 2, 3 and 6: what scoring costs when responses are stored. Two servers on fresh databases of one kind (H2
 * files, or PostgreSQL with {@code -Dbench.writeDatabase=PostgreSQL}), one with scoring on and one with
 * {@code alliance.scoring.enabled=false}, take the same responses in interleaved repetitions (A B C A B C …), so both
 * see the same machine noise and similar database sizes.
 */
final class WriteCases {

	private static final Duration CAP = Duration.ofMinutes(3);
	private static final int PATIENTS = 50;
	private static final String D_INSTANCE_VALIDATION = "D scoring on, HAPI instance validation";

	/** Cases 2, 3 and 6 (the write path with feedback after the commit) on the same servers. */
	List<ResultSection> run(BenchContext context, boolean cost, boolean bulk, boolean feedback) {
		List<ResultSection> sections = new ArrayList<>();
		boolean instanceValidation = cost && context.settings().instanceValidationVariant();
		try (BenchDatabase onDatabase = newDatabase(context);
				BenchDatabase offDatabase = newDatabase(context);
				BenchDatabase fullDatabase = instanceValidation ? newDatabase(context) : null;
				Servers servers = Servers.start(context, onDatabase, offDatabase, fullDatabase)) {
			String where = onDatabase.description();
			Workload workload = new Workload(PATIENTS);
			workload.createPeople(new HttpDriver(servers.on.baseUrl()));
			workload.createPeople(new HttpDriver(servers.off.baseUrl()));
			if (servers.full != null) {
				workload.createPeople(new HttpDriver(servers.full.baseUrl()));
			}
			workload.prepareClientScores(new HttpDriver(servers.on.baseUrl()));
			if (cost) {
				sections.add(scoringCost(context, servers, workload, where));
			}
			if (bulk) {
				sections.add(new BulkCase().run(context, servers.on, servers.off, workload, where));
			}
			if (feedback) {
				sections.addAll(new FeedbackCases().run(context, servers.on, servers.off, workload, where));
			}
		}
		return sections;
	}

	/** A new database of the kind {@code bench.writeDatabase} names: {@code H2} (the default) or {@code PostgreSQL}. */
	private static BenchDatabase newDatabase(BenchContext context) {
		String kind = System.getProperty("bench.writeDatabase", "H2");
		return switch (kind) {
			case "H2" -> BenchDatabase.h2(context.workDir());
			case "PostgreSQL" -> BenchDatabase.postgres();
			default -> throw new IllegalArgumentException("bench.writeDatabase is H2 or PostgreSQL, not " + kind);
		};
	}

	private ResultSection scoringCost(BenchContext context, Servers servers, Workload workload, String where) {
		BenchSettings settings = context.settings();
		HttpDriver on = new HttpDriver(servers.on.baseUrl());
		HttpDriver off = new HttpDriver(servers.off.baseUrl());
		AtomicInteger sent = new AtomicInteger();
		Map<String, IntFunction<HttpRequest>> variants = new LinkedHashMap<>();
		Map<String, ServerProcess> serverOf = new LinkedHashMap<>();
		variants.put("A scoring on", i -> on.post("/QuestionnaireResponse", workload.response(sent.getAndIncrement())));
		serverOf.put("A scoring on", servers.on);
		variants.put(
				"B scoring off", i -> off.post("/QuestionnaireResponse", workload.response(sent.getAndIncrement())));
		serverOf.put("B scoring off", servers.off);
		variants.put("C client-side scoring", i -> off.post("", workload.clientScoredBundle(sent.getAndIncrement())));
		serverOf.put("C client-side scoring", servers.off);
		if (servers.full != null) {
			HttpDriver full = new HttpDriver(servers.full.baseUrl());
			variants.put(
					D_INSTANCE_VALIDATION,
					i -> full.post("/QuestionnaireResponse", workload.response(sent.getAndIncrement())));
			serverOf.put(D_INSTANCE_VALIDATION, servers.full);
		}
		ResultSection section = new ResultSection(
				"2. Cost of scoring over HTTP (" + where + ")",
				"One completed response per request (the 10 instruments in turn, 50 patients), `Prefer: return=minimal`."
						+ " A: POST to the server with scoring on (validate, score, store QR + score Observations in one"
						+ " transaction). B: the same POST to a server with scoring off (QR only). C: scoring off, the"
						+ " client posts a transaction Bundle of the QR and its precomputed score Observations (from"
						+ " `$extract`). D: as A with `alliance.scoring.instance-validation=true` (HAPI's"
						+ " FhirInstanceValidator on every response after the fast rules). " + settings.repetitions()
						+ " interleaved repetitions of "
						+ settings.requestsPerRun() + " requests per client thread after " + settings.warmUpRequests()
						+ " warm-up requests (excluded); req/s is the median over repetitions, latencies the median of"
						+ " the repetitions' percentiles, ratios the median of per-repetition ratios. Request CPU: the"
						+ " CPU time of the server's request threads per request (median over repetitions; feedback"
						+ " workers and other background threads excluded), which a busy machine distorts far less than"
						+ " req/s; its ratio is B's CPU per request over A's, the throughput ratio a machine with the"
						+ " cores to itself would approach. Target: A >= 0.8 × B.",
				"threads",
				"variant",
				"req/s (median)",
				"req/s per repetition",
				"p50 ms",
				"p95 ms",
				"request CPU ms",
				"failed");
		for (int threads : settings.concurrencies()) {
			Map<String, List<LoadResult>> results = new LinkedHashMap<>();
			Map<String, List<Double>> cpuMillis = new LinkedHashMap<>();
			for (Map.Entry<String, IntFunction<HttpRequest>> variant : variants.entrySet()) {
				cpuMillis.put(variant.getKey(), new ArrayList<>());
				context.check(variant.getKey() + " sequential warm-up", HttpDriver.load(5, 1, CAP, variant.getValue()));
				context.check(
						variant.getKey() + " warm-up",
						HttpDriver.load(settings.warmUpRequests(), threads, CAP, variant.getValue()));
				results.put(variant.getKey(), new ArrayList<>());
			}
			for (int r = 0; r < settings.repetitions(); r++) {
				for (Map.Entry<String, IntFunction<HttpRequest>> variant : variants.entrySet()) {
					ServerProcess server = serverOf.get(variant.getKey());
					double cpuBefore = server.requestCpuSeconds();
					LoadResult result = context.check(
							variant.getKey() + ", " + threads + " thread(s)",
							HttpDriver.load(settings.requestsPerRun() * threads, threads, CAP, variant.getValue()));
					double cpu = 1000 * (server.requestCpuSeconds() - cpuBefore) / result.requests();
					results.get(variant.getKey()).add(result);
					cpuMillis.get(variant.getKey()).add(cpu);
					BenchContext.log(
							"case 2: %d thread(s), %s: %.1f req/s, p95 %.1f ms, %.1f request CPU ms",
							threads, variant.getKey(), result.perSecond(), result.percentileMillis(95), cpu);
				}
			}
			results.forEach((variant, runs) -> section.row(
					threads,
					variant,
					LoadResult.median(map(runs, LoadResult::perSecond)),
					joined(map(runs, LoadResult::perSecond)),
					LoadResult.median(map(runs, r -> r.percentileMillis(50))),
					LoadResult.median(map(runs, r -> r.percentileMillis(95))),
					String.format(Locale.ROOT, "%.1f", LoadResult.median(cpuMillis.get(variant))),
					runs.stream().mapToInt(LoadResult::failures).sum()));
			List<LoadResult> a = results.get("A scoring on");
			section.row(threads, "**ratio A/B (on/off)**", ratio(a, results.get("B scoring off")), "", "", "", "", "");
			section.row(
					threads,
					"**ratio A/B in request CPU (B ms / A ms)**",
					medianRatio(cpuMillis.get("B scoring off"), cpuMillis.get("A scoring on")),
					"",
					"",
					"",
					"",
					"");
			section.row(
					threads,
					"**ratio A/C (on/client-side)**",
					ratio(a, results.get("C client-side scoring")),
					"",
					"",
					"",
					"",
					"");
			List<LoadResult> d = results.get(D_INSTANCE_VALIDATION);
			if (d != null) {
				section.row(
						threads,
						"**ratio D/B (HAPI validation/off)**",
						ratio(d, results.get("B scoring off")),
						"",
						"",
						"",
						"",
						"");
				section.row(threads, "**ratio A/D (fast rules/HAPI validation)**", ratio(a, d), "", "", "", "", "");
			}
		}
		section.note(String.format(
				Locale.ROOT,
				"RSS after case 2: scoring-on server %.0f MiB, scoring-off server %.0f MiB (JVM default heap).",
				servers.on.rssMib(),
				servers.off.rssMib()));
		return section;
	}

	/** The median of per-repetition ratios of rates, with their range. */
	static String ratio(List<LoadResult> numerator, List<LoadResult> denominator) {
		return medianRatio(map(numerator, LoadResult::perSecond), map(denominator, LoadResult::perSecond));
	}

	/**
	 * The median of per-repetition ratios {@code numerator / denominator}, with their range (for CPU times: the
	 * cheaper variant's over the dearer's, which is the throughput ratio).
	 */
	static String medianRatio(List<Double> numerator, List<Double> denominator) {
		List<Double> ratios = new ArrayList<>();
		for (int i = 0; i < Math.min(numerator.size(), denominator.size()); i++) {
			ratios.add(numerator.get(i) / denominator.get(i));
		}
		double min = ratios.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
		double max = ratios.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
		return String.format(Locale.ROOT, "**%.2f** (%.2f–%.2f)", LoadResult.median(ratios), min, max);
	}

	static List<Double> map(List<LoadResult> runs, java.util.function.ToDoubleFunction<LoadResult> value) {
		return runs.stream().map(r -> value.applyAsDouble(r)).toList();
	}

	static String joined(List<Double> values) {
		return String.join(" / ", values.stream().map(ResultSection::format).toList());
	}

	/**
	 * The scoring-on and scoring-off servers, and optionally one with HAPI's instance validation on every response,
	 * started side by side.
	 */
	static final class Servers implements AutoCloseable {

		final ServerProcess on;
		final ServerProcess off;
		final ServerProcess full;

		private Servers(ServerProcess on, ServerProcess off, ServerProcess full) {
			this.on = on;
			this.off = off;
			this.full = full;
		}

		static Servers start(BenchContext context, BenchDatabase on, BenchDatabase off, BenchDatabase full) {
			String heap = BenchSettings.DEFAULT_HEAP;
			List<CompletableFuture<ServerProcess>> starts = new ArrayList<>();
			starts.add(CompletableFuture.supplyAsync(() -> context.start("scoring-on", on, heap, true, Map.of())));
			starts.add(CompletableFuture.supplyAsync(() -> context.start("scoring-off", off, heap, false, Map.of())));
			if (full != null) {
				starts.add(CompletableFuture.supplyAsync(() -> context.start(
						"scoring-on-instance-validation",
						full,
						heap,
						true,
						Map.of("alliance.scoring.instance-validation", "true"))));
			}
			try {
				return new Servers(
						starts.get(0).join(),
						starts.get(1).join(),
						full == null ? null : starts.get(2).join());
			} catch (RuntimeException e) {
				starts.forEach(start -> start.thenAccept(ServerProcess::close));
				throw e;
			}
		}

		@Override
		public void close() {
			on.close();
			off.close();
			if (full != null) {
				full.close();
			}
		}
	}
}
