package org.alliancefhir.extraction;

import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.concurrent.TimeUnit;
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

/**
 * Responses validated per second on one thread: the fast conformance rules against HAPI's instance validator (as
 * configured in the server, on an in-memory support chain instead of the JPA one). Run by case 1 of the benchmark
 * harness ({@code bench/README.md}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
public class ResponseValidationBenchmark {

	@Param({"wav-12-client", "srs", "softa-o"})
	public String instrument;

	private Questionnaire questionnaire;

	private QuestionnaireResponse response;

	private FhirValidator hapi;

	@Setup
	public void setUp() {
		questionnaire = HapiValidators.questionnaire(instrument);
		response = HapiValidators.mixedResponse(instrument);
		hapi = HapiValidators.instanceValidator();
	}

	/** The fast rules, as every scored POST runs them. */
	@Benchmark
	public ResponseProblems fastRules() {
		ResponseProblems problems = new ResponseProblems();
		ResponseConformance.check(questionnaire, response, problems);
		return problems;
	}

	/** HAPI's FhirInstanceValidator, as {@code alliance.scoring.instance-validation=true} runs it. */
	@Benchmark
	public ValidationResult hapiInstanceValidator() {
		return hapi.validateWithResult(response);
	}
}
