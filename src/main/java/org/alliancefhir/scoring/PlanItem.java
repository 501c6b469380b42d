package org.alliancefhir.scoring;

import java.util.List;

/**
 * A Questionnaire item in a {@link ScoringPlan}: its variables, its score expression, and the items below it that
 * score; the root of the plan stands for the Questionnaire itself.
 *
 * @param linkId the item's linkId, {@code null} for the root
 * @param group whether the item is a group, so that its instances in a response become the expression context
 * @param repeats whether a group may occur more than once; each instance is then scored separately
 * @param variables the item's variables, in order
 * @param calculation the item's score expression, or {@code null}
 * @param children the items below that carry variables or score expressions, in order
 */
record PlanItem(
		String linkId,
		boolean group,
		boolean repeats,
		List<CompiledExpression> variables,
		CompiledExpression calculation,
		List<PlanItem> children) {

	PlanItem {
		variables = List.copyOf(variables);
		children = List.copyOf(children);
	}
}
