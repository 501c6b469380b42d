package org.alliancefhir.scoring;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.ExpressionNode.Function;
import org.hl7.fhir.r4.fhirpath.ExpressionNode.Kind;
import org.hl7.fhir.r4.fhirpath.ExpressionNode.Operation;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.fhirpath.FHIRPathUtilityClasses.FHIRConstant;
import org.hl7.fhir.r4.model.Base;

/**
 * Rewrites the parsed expressions of a plan so that scoring a response does less work, with the same results.
 *
 * <p>
 * The core engine rebuilds a literal collection such as {@code ('q1' | 'q2' | 'q3')} for every item a
 * {@code where()} visits, and every variable walks {@code %resource.repeat(item)} again. So literal collections are
 * computed here once, and a {@code %resource} path that several expressions start with, and that uses no variable
 * or {@code %context}, is computed once per response; the expression nodes are replaced in place by calls of
 * internal functions that {@link SdcFunctions} answers from {@link Precomputed}.
 */
final class PlanOptimizer {

	/** Constants whose value is the same wherever in a response's evaluation they are used. */
	private static final Set<String> RESPONSE_CONSTANTS =
			Set.of("resource", "rootResource", "questionnaire", "sct", "loinc", "ucum", "us-zip");

	private final FHIRPathEngine fhirPath;

	private final Map<String, Integer> constantIndex = new HashMap<>();

	private final List<List<Base>> constants = new ArrayList<>();

	private PlanOptimizer(FHIRPathEngine fhirPath) {
		this.fhirPath = fhirPath;
	}

	static Precomputed optimize(FHIRPathEngine fhirPath, List<CompiledExpression> expressions) {
		PlanOptimizer optimizer = new PlanOptimizer(fhirPath);
		expressions.forEach((expression) -> optimizer.foldConstants(expression.node()));
		List<ExpressionNode> shared = new SharedPaths(optimizer).share(expressions);
		return new Precomputed(optimizer.constants, shared);
	}

	/** Replaces each parenthesised collection of literals by a constant computed now. */
	void foldConstants(ExpressionNode root) {
		walk(root, (node) -> {
			if (node.getKind() == Kind.Group && isLiteralCollection(node.getGroup())) {
				String key = node.getGroup().toString();
				Integer index = this.constantIndex.get(key);
				if (index == null) {
					index = this.constants.size();
					this.constants.add(List.copyOf(this.fhirPath.evaluate((Base) null, node.getGroup())));
					this.constantIndex.put(key, index);
				}
				node.setGroup(null);
				becomeCall(node, Precomputed.CONSTANT + index);
			}
		});
	}

	private static boolean isLiteralCollection(ExpressionNode node) {
		for (ExpressionNode term = node; term != null; term = term.getOpNext()) {
			boolean literal = term.getKind() == Kind.Constant
					&& term.getConstant() != null
					&& !(term.getConstant() instanceof FHIRConstant)
					&& term.getInner() == null;
			if (!literal || (term.getOperation() != null && term.getOperation() != Operation.Union)) {
				return false;
			}
		}
		return true;
	}

	/** Whether a path step does the same wherever in one response's evaluation it runs. */
	static boolean isResponseConstant(ExpressionNode step) {
		if (step.getKind() != Kind.Function) {
			return true;
		}
		if (step.getFunction() == Function.DefineVariable) {
			return false;
		}
		return step.getParameters().stream().allMatch(PlanOptimizer::isResponseConstantTree);
	}

	private static boolean isResponseConstantTree(ExpressionNode node) {
		if (node == null) {
			return true;
		}
		if (node.getKind() == Kind.Constant
				&& node.getConstant() instanceof FHIRConstant value
				&& value.getValue().startsWith("%")
				&& !RESPONSE_CONSTANTS.contains(value.getValue().substring(1))) {
			return false;
		}
		return isResponseConstant(node)
				&& isResponseConstantTree(node.getGroup())
				&& isResponseConstantTree(node.getInner())
				&& isResponseConstantTree(node.getOpNext());
	}

	static void becomeCall(ExpressionNode node, String functionName) {
		node.setKind(Kind.Function);
		node.setFunction(Function.Custom);
		node.setName(functionName);
		node.setConstant(null);
	}

	/** Visits every node of a tree, parents first, in a fixed order. */
	static void walk(ExpressionNode node, Consumer<ExpressionNode> visitor) {
		if (node == null) {
			return;
		}
		visitor.accept(node);
		if (node.getKind() == Kind.Function) {
			node.getParameters().forEach((parameter) -> walk(parameter, visitor));
		}
		walk(node.getGroup(), visitor);
		walk(node.getInner(), visitor);
		walk(node.getOpNext(), visitor);
	}

	FHIRPathEngine fhirPath() {
		return this.fhirPath;
	}
}
