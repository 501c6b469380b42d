package org.alliancefhir.feedback;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import java.util.Map;
import org.alliancefhir.scoring.FhirPathEngines;
import org.hl7.fhir.exceptions.PathEngineException;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.fhirpath.FHIRPathUtilityClasses.FunctionDetails;
import org.hl7.fhir.r4.fhirpath.IHostApplicationServices;
import org.hl7.fhir.r4.fhirpath.TypeDetails;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.ValueSet;
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
	private static final class Constants implements IHostApplicationServices {

		@Override
		@SuppressWarnings("unchecked")
		public List<Base> resolveConstant(
				FHIRPathEngine engine, Object appContext, String name, FHIRPathConstantEvaluationMode mode) {
			if (mode != FHIRPathConstantEvaluationMode.EXPLICIT) {
				return List.of();
			}
			Map<String, List<Base>> scope = (Map<String, List<Base>>) appContext;
			List<Base> value = scope.get(name);
			if (value == null) {
				throw new PathEngineException("Unknown variable %" + name);
			}
			return value;
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
		public FunctionDetails resolveFunction(FHIRPathEngine engine, String functionName) {
			return null;
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
		public List<Base> executeFunction(
				FHIRPathEngine engine,
				Object appContext,
				List<Base> focus,
				String functionName,
				List<List<Base>> parameters) {
			throw new PathEngineException("Unknown function " + functionName + "()");
		}

		@Override
		public Base resolveReference(FHIRPathEngine engine, Object appContext, String url, Base refContext) {
			return null;
		}

		@Override
		public boolean conformsToProfile(FHIRPathEngine engine, Object appContext, Base item, String url) {
			return false;
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
}
