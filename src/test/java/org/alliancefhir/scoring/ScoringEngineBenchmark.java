package org.alliancefhir.scoring;

import ca.uhn.fhir.context.FhirContext;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Responses scored per second on one thread, per instrument, with the {@code mixed} fixture of each (steady state,
 * new Questionnaire objects, and without the plan optimizer); also prints
 * how long building the engine and compiling each Questionnaire take in a fresh JVM.
 *
 * <p>
 * Run after {@code mvn test-compile} with the test classpath, e.g.
 * {@code java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt)
 * org.alliancefhir.scoring.ScoringEngineBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class ScoringEngineBenchmark {

	@Param({
		"wav-12-client",
		"wav-12-therapist",
		"srs",
		"csrs",
		"gsrs",
		"ors",
		"cors",
		"softa-s-client",
		"softa-s-therapist",
		"softa-o"
	})
	public String instrument;

	private ScoringEngine engine;

	private Questionnaire questionnaire;

	private Questionnaire[] copies;

	private QuestionnaireResponse response;

	private int calls;

	private FHIRPathEngine fhirPath;

	private ScoringPlan plainPlan;

	@Setup
	public void setUp() {
		this.engine = new ScoringEngine();
		this.questionnaire = TestResources.questionnaire("profiles/Questionnaire-" + this.instrument + ".json");
		this.copies = new Questionnaire[] {this.questionnaire.copy(), this.questionnaire.copy()};
		this.response = TestResources.response("fixtures/" + this.instrument + "/QuestionnaireResponse-mixed.json");
		this.fhirPath = FhirPathEngines.create(FhirContext.forR4Cached(), new SdcFunctions());
		this.plainPlan = PlanCompiler.compile(this.fhirPath, this.questionnaire, false);
	}

	/** The steady state: the catalog hands the engine the same Questionnaire object each time. */
	@Benchmark
	public ScoreSheet score() {
		return this.engine.score(this.questionnaire, this.response);
	}

	/** Worst case for the plan cache: a new but equal Questionnaire object each call, so it is fingerprinted. */
	@Benchmark
	public ScoreSheet scoreWithNewQuestionnaireObjects() {
		return this.engine.score(this.copies[this.calls++ & 1], this.response);
	}

	/**
	 * Plain cached evaluation: the same compiled plan without {@link PlanOptimizer}'s rewrites, the reason the
	 * optimizer is kept (bench/README.md §10).
	 */
	@Benchmark
	public ScoreSheet scoreWithoutOptimizer() {
		return Evaluation.run(this.fhirPath, this.plainPlan, this.questionnaire, this.response);
	}

	public static void main(String[] args) throws RunnerException {
		long start = System.nanoTime();
		FhirContext fhirContext = FhirContext.forR4Cached();
		long context = System.nanoTime();
		ScoringEngine engine = new ScoringEngine(fhirContext);
		long built = System.nanoTime();
		new ScoringEngine(fhirContext);
		long rebuilt = System.nanoTime();
		System.out.printf(
				"FhirContext.forR4: %.1f ms; first ScoringEngine: %.1f ms; second: %.2f ms%n",
				millis(start, context), millis(context, built), millis(built, rebuilt));
		for (String id : ScoringEngineBenchmark.class
				.getFields()[0]
				.getAnnotation(Param.class)
				.value()) {
			Questionnaire questionnaire = TestResources.questionnaire("profiles/Questionnaire-" + id + ".json");
			long before = System.nanoTime();
			engine.compile(questionnaire);
			System.out.printf("compile %s: %.2f ms%n", id, millis(before, System.nanoTime()));
		}
		new Runner(new OptionsBuilder()
						.include(ScoringEngineBenchmark.class.getSimpleName())
						.build())
				.run();
	}

	private static double millis(long from, long to) {
		return (to - from) / 1_000_000.0;
	}
}
