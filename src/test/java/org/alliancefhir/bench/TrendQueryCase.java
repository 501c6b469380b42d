package org.alliancefhir.bench;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.alliancefhir.server.ServerProcess;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.opentest4j.TestAbortedException;

/**
 * Case 4: what an EHR reads. Seeds score Observations (SRS and ORS totals with their components, stored as the
 * server stores them) across many patients through transaction Bundles on a server with scoring off, and the same
 * Observations without narrative or score markers for as many other patients, then measures the patient trend query
 * {@code Observation?subject=…&code=…&_sort=-date&_count=50} on both, interleaved, bypassing the search cache.
 */
final class TrendQueryCase {

	private static final Duration CAP = Duration.ofMinutes(30);
	private static final int SEED_BUNDLE = 100;
	private static final List<String> SCORED = List.of("srs", "ors");
	private static final int ROUNDS = 5;
	/** Marks a score Observation whose narrative the server adds when it serves it (and does not store). */
	private static final String NARRATIVE_ON_THE_WAY_OUT =
			"https://alliancefhir.org/fhir/StructureDefinition/score-questionnaire";

	private static final String SCORES = "trend-";
	private static final String PLAIN = "plain-";
	/**
	 * A page size above the server's bound for synchronous first pages (100): the same 50 entries through HAPI's
	 * stored search (search record and result list), to see what the synchronous first page saves.
	 */
	private static final int STORED_SEARCH_COUNT = 101;

	ResultSection run(BenchContext context) {
		BenchSettings settings = context.settings();
		int observations = settings.trendPatients() * settings.trendObservationsPerPatient();
		ResultSection section = new ResultSection(
				"4. EHR reads: patient trend query and `$alliance-summary`",
				"`GET Observation?subject=Patient/…&code=<system>|<code>&_sort=-date&_count=50` with "
						+ "`Cache-Control: no-cache`, random patient and code, one client thread, "
						+ settings.trendQueries() + " queries after warm-up, over " + String.format("%,d", observations)
						+ " score Observations (" + settings.trendObservationsPerPatient() / 2
						+ " per patient and code) "
						+ "across " + String.format("%,d", settings.trendPatients())
						+ " patients, stored as the server "
						+ "stores them, and as many of the same Observations without narrative (no score profile or "
						+ "marker, so served as stored) across as many other patients, seeded through "
						+ "transaction Bundles of " + SEED_BUNDLE + " (2 client threads). The two are queried in "
						+ ROUNDS + " interleaved rounds, with a third variant: the score query with `_count="
						+ STORED_SEARCH_COUNT
						+ "` (the same 50 entries, but above the bound of synchronous first pages, so through "
						+ "a stored search); the ratio is the median of the rounds' ratios. Then "
						+ "`GET Patient/…/$alliance-summary` of random patients (both series with every point), "
						+ Math.max(5, settings.trendQueries() / 5)
						+ " requests after warm-up. Target: trend p95 <= 25 ms "
						+ "on PostgreSQL.",
				"database",
				"query",
				"seeding",
				"p50 ms",
				"p95 ms",
				"p99 ms",
				"req/s",
				"failed");
		for (String kind : settings.trendDatabases()) {
			try (BenchDatabase database =
					kind.equals("H2") ? BenchDatabase.h2(context.workDir()) : BenchDatabase.postgres()) {
				measure(context, section, database);
			} catch (TestAbortedException e) {
				section.row(kind, "skipped: " + e.getMessage(), "", "", "", "", "", "");
			}
		}
		return section;
	}

	private void measure(BenchContext context, ResultSection section, BenchDatabase database) {
		BenchSettings settings = context.settings();
		try (ServerProcess server = context.start("trend-" + database.label(), database, "", false)) {
			HttpDriver http = new HttpDriver(server.baseUrl());
			new Workload(0).createPeople(http);
			List<Observation> templates = SCORED.stream()
					.map(id -> Workload.extract(http, Workload.fixture(id)).get(0))
					.toList();
			String seeding = seed(
					context,
					http,
					templates.stream().map(TrendQueryCase::asStored).toList(),
					SCORES);
			String plainSeeding = seed(
					context, http, templates.stream().map(TrendQueryCase::plain).toList(), PLAIN);
			Random random = new Random(42);
			Coding[] codes =
					templates.stream().map(t -> t.getCode().getCodingFirstRep()).toArray(Coding[]::new);
			int expected = Math.min(50, settings.trendObservationsPerPatient() / 2);
			int entries = checkFirstPage(context, database, http, SCORES, codes[0], expected, true);
			checkFirstPage(context, database, http, PLAIN, codes[0], expected, false);
			int warmUp = Math.max(5, settings.trendQueries() / 10);
			HttpDriver.load(warmUp, 1, CAP, i -> randomQuery(http, random, codes, settings.trendPatients(), SCORES));
			HttpDriver.load(warmUp, 1, CAP, i -> randomQuery(http, random, codes, settings.trendPatients(), PLAIN));
			int perRound = Math.max(1, settings.trendQueries() / ROUNDS);
			List<LoadResult> scores = new ArrayList<>();
			List<LoadResult> plain = new ArrayList<>();
			List<LoadResult> stored = new ArrayList<>();
			for (int round = 0; round < ROUNDS; round++) {
				scores.add(context.check(
						"trend query, " + database.label(),
						HttpDriver.load(
								perRound,
								1,
								CAP,
								i -> randomQuery(http, random, codes, settings.trendPatients(), SCORES))));
				plain.add(context.check(
						"trend query without narrative, " + database.label(),
						HttpDriver.load(
								perRound,
								1,
								CAP,
								i -> randomQuery(http, random, codes, settings.trendPatients(), PLAIN))));
				stored.add(context.check(
						"trend query with _count=" + STORED_SEARCH_COUNT + ", " + database.label(),
						HttpDriver.load(
								perRound,
								1,
								CAP,
								i -> randomQuery(
										http, random, codes, settings.trendPatients(), SCORES, STORED_SEARCH_COUNT))));
			}
			LoadResult scoreResult = LoadResult.merge(scores);
			LoadResult plainResult = LoadResult.merge(plain);
			section.row(
					database.label(),
					"trend, " + entries + " score Obs. per page",
					seeding,
					scoreResult.percentileMillis(50),
					scoreResult.percentileMillis(95),
					scoreResult.percentileMillis(99),
					scoreResult.perSecond(),
					scoreResult.failures());
			section.row(
					database.label(),
					"trend, " + entries + " Obs. without narrative per page",
					plainSeeding,
					plainResult.percentileMillis(50),
					plainResult.percentileMillis(95),
					plainResult.percentileMillis(99),
					plainResult.perSecond(),
					plainResult.failures());
			LoadResult storedResult = LoadResult.merge(stored);
			section.row(
					database.label(),
					"trend, " + entries + " score Obs. per page, `_count=" + STORED_SEARCH_COUNT + "` (stored search)",
					"",
					storedResult.percentileMillis(50),
					storedResult.percentileMillis(95),
					storedResult.percentileMillis(99),
					storedResult.perSecond(),
					storedResult.failures());
			section.row(
					database.label(),
					"**ratio score / without narrative**",
					"",
					ratio(scores, plain, 50),
					ratio(scores, plain, 95),
					"",
					"",
					"");
			measureSummary(context, section, database, http, random);
		}
	}

	/** The entries of one patient's first page; score Observations must come with their narrative, plain ones none. */
	private static int checkFirstPage(
			BenchContext context,
			BenchDatabase database,
			HttpDriver http,
			String prefix,
			Coding code,
			int expected,
			boolean narrative) {
		Bundle page = Workload.json().parseResource(Bundle.class, http.send(http.get(trendQuery(prefix, 0, code))));
		if (page.getEntry().size() != expected) {
			context.failure("trend query (" + prefix + ") on " + database.label() + " found "
					+ page.getEntry().size() + " entries, not " + expected);
		}
		boolean allNarrated = page.getEntry().stream()
				.allMatch(e -> ((Observation) e.getResource()).getText().getDivAsString() != null
						&& ((Observation) e.getResource())
								.getText()
								.getDivAsString()
								.contains("Berekend door de server"));
		boolean noneNarrated = page.getEntry().stream().noneMatch(e -> ((Observation) e.getResource()).hasText());
		if (narrative ? !allNarrated : !noneNarrated) {
			context.failure("trend query (" + prefix + ") on " + database.label()
					+ (narrative ? " served a score Observation without narrative" : " served a narrative"));
		}
		return page.getEntry().size();
	}

	/** The median over rounds of the score query's percentile divided by the plain query's. */
	private static double ratio(List<LoadResult> scores, List<LoadResult> plain, double percentile) {
		List<Double> ratios = new ArrayList<>();
		for (int round = 0; round < scores.size(); round++) {
			ratios.add(scores.get(round).percentileMillis(percentile)
					/ plain.get(round).percentileMillis(percentile));
		}
		return LoadResult.median(ratios);
	}

	/** {@code Patient/[id]/$alliance-summary} of random patients: the series of both scores with all their points. */
	private void measureSummary(
			BenchContext context, ResultSection section, BenchDatabase database, HttpDriver http, Random random) {
		BenchSettings settings = context.settings();
		String first = http.send(summary(http, 0));
		long series = Workload.json().parseResource(Parameters.class, first).getParameter().stream()
				.filter(p -> p.getName().equals("series"))
				.count();
		if (series != SCORED.size()) {
			context.failure(
					"$alliance-summary on " + database.label() + " found " + series + " series, not " + SCORED.size());
		}
		int queries = Math.max(5, settings.trendQueries() / 5);
		HttpDriver.load(Math.max(5, queries / 10), 1, CAP, i -> randomSummary(http, random, settings));
		LoadResult result = context.check(
				"$alliance-summary, " + database.label(),
				HttpDriver.load(queries, 1, CAP, i -> randomSummary(http, random, settings)));
		section.row(
				database.label(),
				"`$alliance-summary`, " + series + " series",
				"",
				result.percentileMillis(50),
				result.percentileMillis(95),
				result.percentileMillis(99),
				result.perSecond(),
				result.failures());
	}

	private static HttpRequest randomSummary(HttpDriver http, Random random, BenchSettings settings) {
		synchronized (random) {
			return summary(http, random.nextInt(settings.trendPatients()));
		}
	}

	private static HttpRequest summary(HttpDriver http, int patient) {
		return http.get("/Patient/" + SCORES + patient + "/$alliance-summary");
	}

	private String seed(BenchContext context, HttpDriver http, List<Observation> templates, String prefix) {
		BenchSettings settings = context.settings();
		long started = System.nanoTime();
		int patients = settings.trendPatients();
		for (int from = 0; from < patients; from += SEED_BUNDLE) {
			Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
			for (int p = from; p < Math.min(patients, from + SEED_BUNDLE); p++) {
				Workload.put(bundle, "Patient/" + prefix + p, new Patient());
			}
			http.send(http.post("", Workload.json().encodeResourceToString(bundle)));
		}
		List<String> json = templates.stream().map(TrendQueryCase::template).toList();
		int perPatient = settings.trendObservationsPerPatient();
		int total = patients * perPatient;
		int bundles = (total + SEED_BUNDLE - 1) / SEED_BUNDLE;
		LoadResult result = context.check("seeding", HttpDriver.load(bundles, 2, CAP, b -> {
			StringBuilder body = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
			for (int n = b * SEED_BUNDLE; n < Math.min(total, (b + 1) * SEED_BUNDLE); n++) {
				int patient = n / perPatient;
				int k = n % perPatient;
				String observation = json.get(k % json.size())
						.replace("__SUBJECT__", "Patient/" + prefix + patient)
						.replace("__DATE__", LocalDate.of(2020, 1, 6).plusWeeks(k / json.size()) + "T10:00:00+01:00")
						.replace("__ID__", prefix + n);
				body.append(n == b * SEED_BUNDLE ? "" : ",")
						.append("{\"resource\":")
						.append(observation)
						.append(",\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}");
			}
			return http.post("", body.append("]}").toString());
		}));
		double seconds = (System.nanoTime() - started) / 1e9;
		BenchContext.log("case 4: seeded %d Observations (%s) in %.0f s", total, prefix, seconds);
		return String.format(
				"%,d Obs. in %.0f s (%.0f/s)", total, seconds, result.requests() * SEED_BUNDLE / result.seconds());
	}

	/**
	 * A score Observation as the server stores it: without narrative when the server adds it on the way out (the
	 * marker says so), else with the narrative $extract returned.
	 */
	private static Observation asStored(Observation score) {
		Observation stored = score.copy();
		if (stored.hasExtension(NARRATIVE_ON_THE_WAY_OUT)) {
			stored.setText(null);
		}
		return stored;
	}

	/** The same Observation without narrative, profile or score markers: the server serves it as stored. */
	private static Observation plain(Observation score) {
		Observation plain = score.copy();
		plain.setText(null);
		plain.getExtension().clear();
		plain.getMeta().getProfile().clear();
		return plain;
	}

	private static String template(Observation score) {
		Observation observation = score.copy();
		observation.setId((String) null);
		observation.getSubject().setReference("__SUBJECT__");
		observation.getDerivedFrom().clear();
		observation.getIdentifierFirstRep().setValue("__ID__");
		observation.setEffective(new org.hl7.fhir.r4.model.DateTimeType("2020-01-01T10:00:00+01:00"));
		return Workload.json().encodeResourceToString(observation).replace("2020-01-01T10:00:00+01:00", "__DATE__");
	}

	private static HttpRequest randomQuery(
			HttpDriver http, Random random, Coding[] codes, int patients, String prefix) {
		return randomQuery(http, random, codes, patients, prefix, 50);
	}

	private static HttpRequest randomQuery(
			HttpDriver http, Random random, Coding[] codes, int patients, String prefix, int count) {
		synchronized (random) {
			return http.get(trendQuery(prefix, random.nextInt(patients), codes[random.nextInt(codes.length)], count));
		}
	}

	private static String trendQuery(String prefix, int patient, Coding code) {
		return trendQuery(prefix, patient, code, 50);
	}

	private static String trendQuery(String prefix, int patient, Coding code, int count) {
		return "/Observation?subject=Patient/" + prefix + patient + "&code="
				+ URLEncoder.encode(code.getSystem() + "|" + code.getCode(), StandardCharsets.UTF_8)
				+ "&_sort=-date&_count=" + count;
	}
}
