package org.alliancefhir.feedback;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import java.util.Map;
import org.alliancefhir.scoring.EvaluationOnlyHostServices;
import org.alliancefhir.scoring.FhirPathEngines;
import org.hl7.fhir.exceptions.PathEngineException;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.utilities.fhirpath.FHIRPathConstantEvaluationMode;

/**
 * Evaluates the FHIRPath of feedback rules over the named values of one score ({@code %score}, {@code %previous},
 * {@code %change}, ...); thread-safe.
 */
public class RuleExpressions {

	private final FHIRPathEngine engine;

	public RuleExpressions(FhirContext fhirContext) {
		this.engine = FhirPathEngines.create(fhirContext, new Constants());
	}

	FHIRPathEngine engine() {
		return engine;
	}

	boolean isTrue(ExpressionNode expression, Map<String, List<Base>> scope, Observation focus) {
		return expression == null || engine.convertToBoolean(evaluate(expression, scope, focus));
	}

	List<Base> evaluate(ExpressionNode expression, Map<String, List<Base>> scope, Observation focus) {
		return engine.evaluate(scope, focus, focus, focus, expression);
	}

	/** Resolves {@code %name} from the scope passed as the evaluation's application context. */
	private static final class Constants extends EvaluationOnlyHostServices {

		@Override
		@SuppressWarnings("unchecked")
		public List<Base> resolveConstant(
				FHIRPathEngine engine, Object appContext, String name, FHIRPathConstantEvaluationMode mode) {
			if (mode != FHIRPathConstantEvaluationMode.EXPLICIT) {
				return List.of();
			}
			List<Base> value = ((Map<String, List<Base>>) appContext).get(name);
			if (value == null) {
				throw new PathEngineException("Unknown variable %" + name);
			}
			return value;
		}
	}
}
