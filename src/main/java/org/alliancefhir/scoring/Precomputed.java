package org.alliancefhir.scoring;

import java.util.List;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.model.Base;

/**
 * What {@link PlanOptimizer} took out of the expressions: literal collections computed at compile time, and shared
 * {@code %resource} paths to compute once per response. The rewritten expressions refer to them by function name.
 *
 * @param constants the literal collections, by index
 * @param shared the shared paths as standalone expressions, by index
 */
record Precomputed(List<List<Base>> constants, List<ExpressionNode> shared) {

	static final String CONSTANT = "#constant";

	static final String SHARED = "#shared";

	static final Precomputed NONE = new Precomputed(List.of(), List.of());

	Precomputed {
		constants = List.copyOf(constants);
		shared = List.copyOf(shared);
	}

	static boolean isPrecomputed(String functionName) {
		return functionName.startsWith("#");
	}

	static boolean isConstant(String functionName) {
		return functionName.startsWith(CONSTANT);
	}

	static int index(String functionName) {
		return Integer.parseInt(functionName.substring(isConstant(functionName) ? CONSTANT.length() : SHARED.length()));
	}
}
