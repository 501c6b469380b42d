package org.alliancefhir.scoring;

import java.util.Map;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;

/**
 * A parsed FHIRPath expression of one item, with the variables it may see mapped to their slots.
 *
 * @param linkId the item that carries the expression, {@code null} on the Questionnaire root
 * @param variable the variable it defines, or {@code null} for a calculatedExpression
 * @param slot the slot that receives the variable's value, or -1
 * @param source the expression text, for messages
 * @param node the parsed expression
 * @param visibleSlots slot of every variable in scope: the item's earlier variables and its ancestors'
 */
record CompiledExpression(
		String linkId,
		String variable,
		int slot,
		String source,
		ExpressionNode node,
		Map<String, Integer> visibleSlots) {

	/** Longest part of the expression text a message quotes: a pathological expression can be very long. */
	private static final int QUOTED_LENGTH = 100;

	String describe() {
		String quoted =
				(this.source.length() <= QUOTED_LENGTH) ? this.source : this.source.substring(0, QUOTED_LENGTH) + "…";
		return ((this.variable != null) ? "variable %" + this.variable : "calculatedExpression") + " '" + quoted + "'";
	}
}
