package org.alliancefhir.bench;

import java.util.List;

/**
 * The counts of one benchmark run: {@link #full()} for {@code mvn -Pbench verify}, {@link #smoke()} for the
 * {@code BenchmarkSmokeIT} in the normal build, which runs every case with tiny counts to keep the harness working.
 *
 * @param label shown in the results header
 * @param engineInstruments instruments the JMH engine case scores (empty: all)
 * @param jmhForks JMH forks (0 runs in the harness JVM)
 * @param jmhIterations JMH warm-up and measurement iterations each
 * @param jmhIterationMillis length of one JMH iteration
 * @param concurrencies client threads of the scoring-cost case
 * @param repetitions interleaved repetitions of each variant (cases 2 and 3)
 * @param warmUpRequests requests per variant and concurrency before measuring, excluded
 * @param requestsPerRun requests per variant in one repetition, per client thread
 * @param bulkBundleSize responses per transaction Bundle (case 3)
 * @param bulkBundlesPerRun Bundles per variant in one repetition
 * @param trendPatients patients of the trend-query data set
 * @param trendObservationsPerPatient score Observations per patient (half of them per score code)
 * @param trendQueries measured trend queries per database
 * @param startupRepetitions starts per database state and heap (case 5)
 * @param heaps JVM heap options of the start-up case; an empty string is the JVM default
 * @param memoryLoadRequests scored POSTs sent to the last start of each heap before its RSS is read
 * @param instanceValidationVariant whether case 2 also runs variant D (a third server, HAPI's instance validation)
 * @param trendDatabases the databases of case 4, of {@code PostgreSQL} and {@code H2}
 * @param restartOnExistingDatabase whether case 5 starts each server a second time on the database of the first
 * @param latencyAlertsPerClient alerts each of the 4 clients of case 6b posts and waits for
 * @param sessionResponses client responses posted into one session in case 6c
 * @param sessionBlock responses per measured block of case 6c
 */
record BenchSettings(
		String label,
		List<String> engineInstruments,
		int jmhForks,
		int jmhIterations,
		int jmhIterationMillis,
		List<Integer> concurrencies,
		int repetitions,
		int warmUpRequests,
		int requestsPerRun,
		int bulkBundleSize,
		int bulkBundlesPerRun,
		int trendPatients,
		int trendObservationsPerPatient,
		int trendQueries,
		int startupRepetitions,
		List<String> heaps,
		int memoryLoadRequests,
		boolean instanceValidationVariant,
		List<String> trendDatabases,
		boolean restartOnExistingDatabase,
		int latencyAlertsPerClient,
		int sessionResponses,
		int sessionBlock) {

	static final String DEFAULT_HEAP = "";

	static BenchSettings full() {
		return new BenchSettings(
				"full",
				List.of(),
				1,
				3,
				1000,
				List.of(1, 4),
				5,
				200,
				150,
				100,
				2,
				1000,
				100,
				500,
				3,
				List.of(DEFAULT_HEAP, "-Xmx512m"),
				2000,
				true,
				List.of("PostgreSQL", "H2"),
				true,
				25,
				300,
				50);
	}

	static BenchSettings smoke() {
		return new BenchSettings(
				"smoke",
				List.of("srs", "wav-12-client"),
				0,
				1,
				100,
				List.of(1, 4),
				1,
				4,
				3,
				5,
				1,
				10,
				// more per patient than the server's default page size (20), so $alliance-summary reads several pages
				30,
				10,
				1,
				List.of("-Xmx512m"),
				20,
				// each server start costs up to a minute of CPU in the build: the smoke run starts four (side by side
				// they take longer still, measured)
				false,
				List.of("PostgreSQL"),
				false,
				2,
				12,
				4);
	}

	/** Small counts for a quick look at cases 2, 3 and 6 (a few minutes): not for the record. */
	static BenchSettings small() {
		BenchSettings full = full();
		return new BenchSettings(
				"small",
				full.engineInstruments(),
				full.jmhForks(),
				full.jmhIterations(),
				full.jmhIterationMillis(),
				List.of(1, 4),
				2,
				20,
				25,
				50,
				1,
				full.trendPatients(),
				full.trendObservationsPerPatient(),
				full.trendQueries(),
				full.startupRepetitions(),
				full.heaps(),
				full.memoryLoadRequests(),
				false,
				full.trendDatabases(),
				full.restartOnExistingDatabase(),
				10,
				300,
				50);
	}

	static BenchSettings named(String mode) {
		BenchSettings settings =
				switch (mode) {
					case "smoke" -> smoke();
					case "small" -> small();
					default -> full();
				};
		return settings.withTrend(
				Integer.getInteger("bench.trendPatients", settings.trendPatients()),
				System.getProperty("bench.trendDatabases", String.join(",", settings.trendDatabases())));
	}

	/** The same counts with case 4's patients and databases as given ({@code -Dbench.trendPatients=200}). */
	BenchSettings withTrend(int patients, String databases) {
		return new BenchSettings(
				label,
				engineInstruments,
				jmhForks,
				jmhIterations,
				jmhIterationMillis,
				concurrencies,
				repetitions,
				warmUpRequests,
				requestsPerRun,
				bulkBundleSize,
				bulkBundlesPerRun,
				patients,
				trendObservationsPerPatient,
				trendQueries,
				startupRepetitions,
				heaps,
				memoryLoadRequests,
				instanceValidationVariant,
				List.of(databases.split(",")),
				restartOnExistingDatabase,
				latencyAlertsPerClient,
				sessionResponses,
				sessionBlock);
	}
}
