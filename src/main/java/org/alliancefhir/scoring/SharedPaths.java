package org.alliancefhir.scoring;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.ExpressionNode.Kind;
import org.hl7.fhir.r4.fhirpath.FHIRPathUtilityClasses.FHIRConstant;

/**
 * Finds {@code %resource} paths that several expressions of a plan start with, such as
 * {@code %resource.repeat(item)}, and replaces each by a call that {@link Evaluation} computes once per response.
 *
 * <p>
 * A path counts when every step's parameters are the same wherever the response is evaluated (no variables, no
 * {@code %context}); of its prefixes the longest one used by at least two paths is shared.
 */
final class SharedPaths {

	private final PlanOptimizer optimizer;

	private final Map<String, Integer> uses = new HashMap<>();

	private final Map<String, Integer> sharedIndex = new LinkedHashMap<>();

	private final List<ExpressionNode> shared = new ArrayList<>();

	SharedPaths(PlanOptimizer optimizer) {
		this.optimizer = optimizer;
	}

	List<ExpressionNode> share(List<CompiledExpression> expressions) {
		for (CompiledExpression expression : expressions) {
			for (ExpressionNode head : heads(expression.node())) {
				List<String> keys = prefixKeys(head);
				keys.forEach((key) -> this.uses.merge(key, 1, Integer::sum));
			}
		}
		for (CompiledExpression expression : expressions) {
			List<ExpressionNode> heads = heads(expression.node());
			for (int i = 0; i < heads.size(); i++) {
				List<String> keys = prefixKeys(heads.get(i));
				int length = keys.size();
				while (length > 0 && this.uses.get(keys.get(length - 1)) < 2) {
					length--;
				}
				if (length > 0) {
					replace(expression, i, heads.get(i), length, keys.get(length - 1));
				}
			}
		}
		return this.shared;
	}

	private void replace(CompiledExpression expression, int headNumber, ExpressionNode head, int length, String key) {
		Integer index = this.sharedIndex.get(key);
		if (index == null) {
			index = this.shared.size();
			this.shared.add(standalonePrefix(expression.source(), headNumber, length));
			this.sharedIndex.put(key, index);
		}
		PlanOptimizer.becomeCall(head, Precomputed.SHARED + index);
		head.setInner(step(head, length).getInner());
	}

	/** A fresh parse of the prefix alone, so the rewritten original keeps only what follows it. */
	private ExpressionNode standalonePrefix(String source, int headNumber, int length) {
		ExpressionNode copy = this.optimizer.fhirPath().parse(source);
		this.optimizer.foldConstants(copy);
		ExpressionNode head = heads(copy).get(headNumber);
		step(head, length).setInner(null);
		head.setOperation(null);
		head.setOpNext(null);
		return head;
	}

	/** The keys of the path's prefixes of 1, 2, ... steps after the head, as long as its steps qualify. */
	private static List<String> prefixKeys(ExpressionNode head) {
		List<String> keys = new ArrayList<>();
		StringBuilder key = new StringBuilder(((FHIRConstant) head.getConstant()).getValue());
		for (ExpressionNode step = head.getInner();
				step != null && PlanOptimizer.isResponseConstant(step);
				step = step.getInner()) {
			key.append('.').append(stepText(step));
			keys.add(key.toString());
		}
		return keys;
	}

	private static String stepText(ExpressionNode step) {
		if (step.getKind() != Kind.Function) {
			return step.getKind() + " " + step.getName();
		}
		return step.getName() + step.getParameters();
	}

	private static ExpressionNode step(ExpressionNode head, int number) {
		ExpressionNode step = head;
		for (int i = 0; i < number; i++) {
			step = step.getInner();
		}
		return step;
	}

	/** The {@code %resource} and {@code %questionnaire} nodes of a tree, in walk order. */
	private static List<ExpressionNode> heads(ExpressionNode root) {
		List<ExpressionNode> heads = new ArrayList<>();
		PlanOptimizer.walk(root, (node) -> {
			if (node.getKind() == Kind.Constant
					&& node.getConstant() instanceof FHIRConstant constant
					&& (constant.getValue().equals("%resource")
							|| constant.getValue().equals("%questionnaire"))) {
				heads.add(node);
			}
		});
		return heads;
	}
}
