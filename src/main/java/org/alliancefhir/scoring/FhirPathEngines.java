package org.alliancefhir.scoring;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.fhirpath.IHostApplicationServices;
import org.hl7.fhir.r4.hapi.ctx.HapiWorkerContext;

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
