package org.alliancefhir.scoring;

import java.util.LinkedHashSet;
import java.util.Set;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.ExpressionNode.Function;
import org.hl7.fhir.r4.fhirpath.ExpressionNode.Kind;
import org.hl7.fhir.r4.fhirpath.FHIRPathUtilityClasses.FHIRConstant;

/**
 * Finds the {@code %name} references of a parsed expression, so that a rule using an undefined variable fails when
 * the Questionnaire is compiled rather than on some later response.
 */
final class VariableReferences {

	/** Constants the FHIRPath engine or {@link Evaluation} provide themselves. */
	private static final Set<String> BUILT_IN =
			Set.of("resource", "rootResource", "context", "questionnaire", "sct", "loinc", "ucum", "us-zip");

	private final Set<String> referenced = new LinkedHashSet<>();

	private final Set<String> definedInline = new LinkedHashSet<>();

	private VariableReferences() {}

	/** Returns the first {@code %name} that is neither built in nor defined, or {@code null}. */
	static String firstUndefined(ExpressionNode node, Set<String> defined) {
		VariableReferences references = new VariableReferences();
		references.walk(node);
		for (String name : references.referenced) {
			boolean known = BUILT_IN.contains(name) || name.startsWith("`") || defined.contains(name);
			if (!known && !references.definedInline.contains(name)) {
				return name;
			}
		}
		return null;
	}

	private void walk(ExpressionNode node) {
		if (node == null) {
			return;
		}
		if (node.getKind() == Kind.Constant
				&& node.getConstant() instanceof FHIRConstant constant
				&& constant.getValue().startsWith("%")) {
			this.referenced.add(constant.getValue().substring(1));
		}
		if (node.getKind() == Kind.Function) {
			if (node.getFunction() == Function.DefineVariable
					&& !node.getParameters().isEmpty()
					&& node.getParameters().get(0).getConstant() != null) {
				this.definedInline.add(node.getParameters().get(0).getConstant().primitiveValue());
			}
			node.getParameters().forEach(this::walk);
		}
		walk(node.getInner());
		walk(node.getGroup());
		walk(node.getOpNext());
	}
}
