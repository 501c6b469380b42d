package org.alliancefhir.scoring;

import java.util.List;
import org.hl7.fhir.exceptions.PathEngineException;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.fhirpath.FHIRPathUtilityClasses.FunctionDetails;
import org.hl7.fhir.r4.fhirpath.IHostApplicationServices;
import org.hl7.fhir.r4.fhirpath.TypeDetails;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.utilities.fhirpath.FHIRPathConstantEvaluationMode;

/**
 * Host services for expressions that are only evaluated, never type-checked: no type information, no references to
 * resolve, no value sets, no extra functions. Subclasses supply the {@code %constants} and functions they offer.
 */
public abstract class EvaluationOnlyHostServices implements IHostApplicationServices {

	@Override
	public abstract List<Base> resolveConstant(
			FHIRPathEngine engine, Object appContext, String name, FHIRPathConstantEvaluationMode mode);

	@Override
	public FunctionDetails resolveFunction(FHIRPathEngine engine, String functionName) {
		return null;
	}

	@Override
	public List<Base> executeFunction(
			FHIRPathEngine engine,
			Object appContext,
			List<Base> focus,
			String functionName,
			List<List<Base>> parameters) {
		throw new PathEngineException("Unknown function " + functionName + "()");
	}

	@Override
	public TypeDetails resolveConstantType(
			FHIRPathEngine engine, Object appContext, String name, FHIRPathConstantEvaluationMode mode) {
		return null;
	}

	@Override
	public boolean log(String argument, List<Base> focus) {
		return false;
	}

	@Override
	public TypeDetails checkFunction(
			FHIRPathEngine engine,
			Object appContext,
			String functionName,
			TypeDetails focus,
			List<TypeDetails> parameters) {
		return null;
	}

	@Override
	public Base resolveReference(FHIRPathEngine engine, Object appContext, String url, Base refContext) {
		return null;
	}

	@Override
	public boolean conformsToProfile(FHIRPathEngine engine, Object appContext, Base item, String url) {
		throw new PathEngineException("conformsTo() is not available in these expressions");
	}

	@Override
	public ValueSet resolveValueSet(FHIRPathEngine engine, Object appContext, String url) {
		return null;
	}

	@Override
	public boolean paramIsType(String name, int index) {
		return false;
	}
}
