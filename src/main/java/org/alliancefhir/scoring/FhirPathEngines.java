package org.alliancefhir.scoring;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.fhirpath.FHIRPathUtilityClasses.FunctionDetails;
import org.hl7.fhir.r4.fhirpath.IHostApplicationServices;
import org.hl7.fhir.r4.hapi.ctx.HapiWorkerContext;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.utilities.fhirpath.FHIRPathConstantEvaluationMode;

/**
 * Builds the core R4 FHIRPath engine for score and rule expressions, on a worker context that loads no
 * StructureDefinitions.
 *
 * <p>
 * Evaluating score expressions only navigates the model objects, so the engine needs no type definitions; only
 * type-checking, {@code is}/{@code as}/{@code ofType} on profiles and Quantity unit conversion would, and score
 * expressions use none of them. Loading the core definitions instead would add seconds to start-up.
 */
public final class FhirPathEngines {

	private FhirPathEngines() {}

	/** An engine that resolves functions and {@code %constants} through the given host services. */
	public static FHIRPathEngine create(FhirContext fhirContext, IHostApplicationServices functions) {
		FHIRPathEngine engine = new FHIRPathEngine(new HapiWorkerContext(fhirContext, new NoDefinitions(fhirContext)));
		engine.setHostServices(functions);
		return engine;
	}

	/**
	 * An engine for checking the syntax of expressions other programs evaluate: it accepts any {@code %constant} and
	 * any function name (form fillers add their own), and evaluates nothing but the built-in functions.
	 */
	public static FHIRPathEngine forSyntax(FhirContext fhirContext) {
		return create(fhirContext, new AnyFunction());
	}

	/** Host services that declare every function and constant, with any number of parameters. */
	private static final class AnyFunction extends EvaluationOnlyHostServices {

		@Override
		public FunctionDetails resolveFunction(FHIRPathEngine engine, String functionName) {
			return new FunctionDetails("a function of the form filler", 0, Integer.MAX_VALUE);
		}

		@Override
		public List<Base> resolveConstant(
				FHIRPathEngine engine, Object appContext, String name, FHIRPathConstantEvaluationMode mode) {
			return List.of();
		}
	}

	/** Validation support that knows no conformance resources. */
	private static final class NoDefinitions implements IValidationSupport {

		private final FhirContext fhirContext;

		NoDefinitions(FhirContext fhirContext) {
			this.fhirContext = fhirContext;
		}

		@Override
		public FhirContext getFhirContext() {
			return this.fhirContext;
		}

		@Override
		public <T extends IBaseResource> List<T> fetchAllStructureDefinitions() {
			return List.of();
		}

		@Override
		public String getName() {
			return "scoring: no definitions";
		}
	}
}
