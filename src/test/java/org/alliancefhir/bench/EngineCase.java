package org.alliancefhir.bench;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.alliancefhir.scoring.ScoringEngineBenchmark;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Case 1: the scoring engine alone, in JMH on one thread: responses scored per second per instrument, with the
 * Questionnaire object the catalog hands out (steady state) and with a new equal object per call (plan cache keyed
 * by fingerprint); plus the two validators of a stored response (fast rules, HAPI's instance validator).
 */
final class EngineCase {

	ResultSection run(BenchContext context) {
		BenchSettings settings = context.settings();
		BenchContext.log("case 1: JMH");
		ResultSection section = new ResultSection(
				"1. Scoring engine and validators alone (JMH, one thread)",
				"Responses per second through `ScoringEngine.score` (the `mixed` fixture of each instrument), JMH "
						+ "throughput mode, " + settings.jmhIterations() + " × " + settings.jmhIterationMillis()
						+ " ms warm-up and measurement, " + settings.jmhForks() + " fork(s). Target: >= 20,000/s.",
				"class.benchmark",
				"instrument",
				"ops/s",
				"± (99.9 %)");
		List<RunResult> results = new java.util.ArrayList<>();
		results.addAll(jmh(settings, ScoringEngineBenchmark.class.getName(), settings.engineInstruments()));
		// the validators of a stored response: one instrument is enough to compare them
		results.addAll(
				jmh(settings, "org.alliancefhir.extraction.ResponseValidationBenchmark", List.of("wav-12-client")));
		for (RunResult result : results) {
			section.row(
					result.getParams().getBenchmark().replaceAll("^.*\\.(\\w+\\.\\w+)$", "$1"),
					result.getParams().getParam("instrument"),
					result.getPrimaryResult().getScore(),
					result.getPrimaryResult().getScoreError());
		}
		section.note(
				"ResponseValidationBenchmark: the fast conformance rules every scored POST runs, against HAPI's"
						+ " FhirInstanceValidator as `alliance.scoring.instance-validation=true` runs it (in-memory support chain).");
		return section;
	}

	static Collection<RunResult> jmh(BenchSettings settings, String benchmarkClass, List<String> instruments) {
		ChainedOptionsBuilder options = new OptionsBuilder()
				.include(benchmarkClass.replace(".", "\\.") + "\\.")
				.forks(settings.jmhForks())
				.threads(1)
				.warmupIterations(settings.jmhIterations())
				.measurementIterations(settings.jmhIterations())
				.warmupTime(TimeValue.milliseconds(settings.jmhIterationMillis()))
				.measurementTime(TimeValue.milliseconds(settings.jmhIterationMillis()))
				.timeUnit(TimeUnit.SECONDS)
				.verbosity(VerboseMode.SILENT);
		if (!instruments.isEmpty()) {
			options.param("instrument", instruments.toArray(String[]::new));
		}
		try {
			return new Runner(options.build()).run();
		} catch (RunnerException e) {
			throw new IllegalStateException("JMH failed", e);
		}
	}
}
