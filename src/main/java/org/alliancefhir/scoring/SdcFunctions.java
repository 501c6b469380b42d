package org.alliancefhir.scoring;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.exceptions.PathEngineException;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.fhirpath.FHIRPathUtilityClasses.FunctionDetails;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.utilities.fhirpath.FHIRPathConstantEvaluationMode;

/**
 * Host services that give the core R4 FHIRPath engine the SDC functions {@code weight()} (alias {@code ordinal()})
 * and the aggregates, and resolve {@code %questionnaire} and named variables from the running {@link Evaluation}.
 *
 * @see <a href="https://hl7.org/fhir/uv/sdc/STU4/expressions.html#fhirpath-supplements">SDC FHIRPath supplements</a>
 */
final class SdcFunctions extends EvaluationOnlyHostServices {

	static final String WEIGHT = "weight";

	static final String ORDINAL = "ordinal";

	@Override
	public FunctionDetails resolveFunction(FHIRPathEngine engine, String functionName) {
		return switch (functionName) {
			case WEIGHT, ORDINAL -> new FunctionDetails("weight of an answer, from the server's Questionnaire", 0, 0);
			case "sum", "min", "max", "avg" -> new FunctionDetails("aggregate over numbers", 0, 0);
			default -> null;
		};
	}

	@Override
	public List<Base> executeFunction(
			FHIRPathEngine engine,
			Object appContext,
			List<Base> focus,
			String functionName,
			List<List<Base>> parameters) {
		if (Precomputed.isPrecomputed(functionName)) {
			return evaluation(appContext).precomputed(functionName);
		}
		return switch (functionName) {
			case WEIGHT, ORDINAL -> weights(evaluation(appContext), focus);
			case "sum" -> Aggregates.sum(focus);
			case "min" -> Aggregates.min(focus);
			case "max" -> Aggregates.max(focus);
			case "avg" -> Aggregates.avg(focus);
			default -> throw new PathEngineException("Unknown function " + functionName + "()");
		};
	}

	@Override
	public List<Base> resolveConstant(
			FHIRPathEngine engine, Object appContext, String name, FHIRPathConstantEvaluationMode mode) {
		// The engine asks about every bare name too; only %name refers to our constants.
		if (mode != FHIRPathConstantEvaluationMode.EXPLICIT) {
			return List.of();
		}
		return evaluation(appContext).constant(name);
	}

	private static List<Base> weights(Evaluation evaluation, List<Base> focus) {
		List<Base> result = new ArrayList<>(focus.size());
		for (Base item : focus) {
			Base weight = evaluation.weightOf(item);
			if (weight != null) {
				result.add(weight);
			}
		}
		return result;
	}

	private static Evaluation evaluation(Object appContext) {
		if (appContext instanceof Evaluation evaluation) {
			return evaluation;
		}
		throw new PathEngineException("SDC functions and variables need a scoring evaluation");
	}
}
