package org.alliancefhir.scoring;

import java.util.Set;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;

/**
 * The bounds every FHIRPath expression of a Questionnaire must keep, checked when it is stored and again when its
 * rules are compiled: length, bracket nesting (checked before parsing, since the parser recurses per bracket and 20,000
 * nested parentheses overflowed its stack), parse-tree depth and size, and no function whose cost grows beyond its
 * input: string rewriting and regular expressions ({@code replace} nested eight times filled a 6 GB heap; a regular
 * expression can backtrack for hours).
 *
 * @see <a href="https://hl7.org/fhirpath/N1/">FHIRPath</a>
 */
public final class FhirPathLimits {

	public static final int MAX_LENGTH = 2000;
	public static final int MAX_NESTING = 32;
	public static final int MAX_DEPTH = 64;
	public static final int MAX_NODES = 400;

	/** Functions whose result or run time can grow far beyond their input. */
	public static final Set<String> COSTLY_FUNCTIONS = Set.of(
			"replace",
			"replaceMatches",
			"matches",
			"aggregate",
			"split",
			"join",
			"encode",
			"decode",
			"escape",
			"unescape",
			"toChars");

	private FhirPathLimits() {}

	/** The parsed expression, or a {@link FhirPathLimitException} naming the bound it breaks. */
	public static ExpressionNode parse(FHIRPathEngine fhirPath, String expression) {
		if (expression.length() > MAX_LENGTH) {
			throw new FhirPathLimitException(
					"is " + expression.length() + " characters long; at most " + MAX_LENGTH + " are allowed");
		}
		if (nesting(expression) > MAX_NESTING) {
			throw new FhirPathLimitException("nests brackets more than " + MAX_NESTING + " deep");
		}
		ExpressionNode node;
		try {
			node = fhirPath.parse(expression);
		} catch (StackOverflowError tooDeep) {
			throw new FhirPathLimitException("is nested too deeply to parse");
		} catch (RuntimeException invalid) {
			throw new FhirPathLimitException("does not parse: " + invalid.getMessage());
		}
		Size size = new Size();
		size.measure(node, 1);
		if (size.depth > MAX_DEPTH) {
			throw new FhirPathLimitException(
					"is " + size.depth + " levels deep; at most " + MAX_DEPTH + " are allowed");
		}
		if (size.nodes > MAX_NODES) {
			throw new FhirPathLimitException("has " + size.nodes + " parts; at most " + MAX_NODES + " are allowed");
		}
		if (size.costlyFunction != null) {
			throw new FhirPathLimitException(
					"uses " + size.costlyFunction + "(), whose cost this server does not bound");
		}
		return node;
	}

	/** The deepest nesting of brackets outside string literals. */
	static int nesting(String expression) {
		int depth = 0;
		int deepest = 0;
		char quote = 0;
		for (int i = 0; i < expression.length(); i++) {
			char c = expression.charAt(i);
			if (quote != 0) {
				if (c == '\\') {
					i++;
				} else if (c == quote) {
					quote = 0;
				}
			} else if (c == '\'' || c == '"' || c == '`') {
				quote = c;
			} else if (c == '(' || c == '[' || c == '{') {
				deepest = Math.max(deepest, ++depth);
			} else if (c == ')' || c == ']' || c == '}') {
				depth--;
			}
		}
		return deepest;
	}

	/** Depth, node count and the first costly function of a parse tree. */
	private static final class Size {

		private int depth;
		private int nodes;
		private String costlyFunction;

		void measure(ExpressionNode node, int level) {
			if (node == null) {
				return;
			}
			depth = Math.max(depth, level);
			if (nodes > MAX_NODES || level > MAX_DEPTH) {
				return; // already over a bound: no need to walk the rest
			}
			nodes++;
			if (node.getKind() == ExpressionNode.Kind.Function
					&& costlyFunction == null
					&& COSTLY_FUNCTIONS.contains(node.getName())) {
				costlyFunction = node.getName();
			}
			if (node.getParameters() != null) {
				for (ExpressionNode parameter : node.getParameters()) {
					measure(parameter, level + 1);
				}
			}
			if (node.getGroup() != null) {
				measure(node.getGroup(), level + 1);
			}
			if (node.getInner() != null) {
				measure(node.getInner(), level + 1);
			}
			if (node.getOpNext() != null) {
				measure(node.getOpNext(), level + 1);
			}
		}
	}
}
