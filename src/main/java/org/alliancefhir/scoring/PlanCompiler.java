package org.alliancefhir.scoring;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemType;

/**
 * Compiles the variables and calculatedExpressions of a Questionnaire into a {@link ScoringPlan}, failing with a
 * {@link ScoringRuleException} on the first rule that does not parse or uses a variable not defined before it.
 *
 * @see <a href="https://hl7.org/fhir/uv/sdc/STU4/calculations.html">SDC calculations</a>
 */
final class PlanCompiler {

	private static final Set<QuestionnaireItemType> SCORE_TYPES =
			Set.of(QuestionnaireItemType.DECIMAL, QuestionnaireItemType.INTEGER, QuestionnaireItemType.QUANTITY);

	private final FHIRPathEngine fhirPath;

	private final String questionnaire;

	private int slots;

	private final List<CompiledExpression> expressions = new ArrayList<>();

	private PlanCompiler(FHIRPathEngine fhirPath, String questionnaire) {
		this.fhirPath = fhirPath;
		this.questionnaire = questionnaire;
	}

	static ScoringPlan compile(FHIRPathEngine fhirPath, Questionnaire questionnaire) {
		return compile(fhirPath, questionnaire, true);
	}

	/** Compiles, optionally without {@link PlanOptimizer}, which tests use as the reference. */
	static ScoringPlan compile(FHIRPathEngine fhirPath, Questionnaire questionnaire, boolean optimize) {
		PlanCompiler compiler = new PlanCompiler(fhirPath, canonical(questionnaire));
		Map<String, Integer> scope = new HashMap<>();
		List<CompiledExpression> variables = compiler.variables(null, questionnaire.getExtension(), scope);
		PlanItem root =
				new PlanItem(null, false, false, variables, null, compiler.items(questionnaire.getItem(), scope));
		Precomputed precomputed = optimize ? PlanOptimizer.optimize(fhirPath, compiler.expressions) : Precomputed.NONE;
		return new ScoringPlan(
				compiler.questionnaire, root, AnswerWeights.of(questionnaire), compiler.slots, precomputed);
	}

	static String canonical(Questionnaire questionnaire) {
		String url = questionnaire.hasUrl() ? questionnaire.getUrl() : "Questionnaire/" + questionnaire.getIdPart();
		return questionnaire.hasVersion() ? url + "|" + questionnaire.getVersion() : url;
	}

	private List<PlanItem> items(List<QuestionnaireItemComponent> items, Map<String, Integer> outerScope) {
		List<PlanItem> planned = new ArrayList<>();
		for (QuestionnaireItemComponent item : items) {
			Map<String, Integer> scope = new HashMap<>(outerScope);
			List<CompiledExpression> variables = variables(item.getLinkId(), item.getExtension(), scope);
			CompiledExpression calculation = calculation(item, scope);
			List<PlanItem> children = items(item.getItem(), scope);
			if (!variables.isEmpty() || calculation != null || !children.isEmpty()) {
				boolean group = item.getType() == QuestionnaireItemType.GROUP;
				planned.add(new PlanItem(
						item.getLinkId(), group, group && item.getRepeats(), variables, calculation, children));
			}
		}
		return planned;
	}

	/** Compiles the variables in order; each sees the ones before it, and all are added to {@code scope}. */
	private List<CompiledExpression> variables(String linkId, List<Extension> extensions, Map<String, Integer> scope) {
		List<CompiledExpression> variables = new ArrayList<>();
		List<String> names = new ArrayList<>();
		for (Extension extension : extensions) {
			if (SdcExtensions.VARIABLE.equals(extension.getUrl())) {
				Expression expression = expression(linkId, "variable", extension);
				String name = expression.getName();
				if (name == null || name.isBlank() || names.contains(name)) {
					throw fail(linkId, "variable '" + name + "' needs a name unique on its item", null);
				}
				names.add(name);
				variables.add(compile(linkId, name, this.slots, expression.getExpression(), scope));
				scope.put(name, this.slots++);
			}
		}
		return variables;
	}

	private CompiledExpression calculation(QuestionnaireItemComponent item, Map<String, Integer> scope) {
		Extension extension = item.getExtensionByUrl(SdcExtensions.CALCULATED_EXPRESSION);
		// A calculated text or choice is not a score; only numeric items yield scores.
		if (extension == null || !SCORE_TYPES.contains(item.getType())) {
			return null;
		}
		Expression expression = expression(item.getLinkId(), "calculatedExpression", extension);
		return compile(item.getLinkId(), null, -1, expression.getExpression(), scope);
	}

	private Expression expression(String linkId, String kind, Extension extension) {
		if (!(extension.getValue() instanceof Expression expression) || !expression.hasExpression()) {
			throw fail(linkId, kind + " has no valueExpression.expression", null);
		}
		if (!SdcExtensions.FHIRPATH_LANGUAGE.equals(expression.getLanguage())) {
			throw fail(
					linkId,
					kind + " '" + expression.getExpression() + "' is in language '" + expression.getLanguage()
							+ "', not " + SdcExtensions.FHIRPATH_LANGUAGE,
					null);
		}
		return expression;
	}

	private CompiledExpression compile(
			String linkId, String variable, int slot, String source, Map<String, Integer> scope) {
		CompiledExpression compiled = new CompiledExpression(linkId, variable, slot, source, null, Map.copyOf(scope));
		ExpressionNode node;
		try {
			node = FhirPathLimits.parse(this.fhirPath, source);
		} catch (FhirPathLimitException ex) {
			throw fail(linkId, compiled.describe() + " " + ex.getMessage(), ex);
		}
		String unknown =
				VariableReferences.firstUndefined(node, compiled.visibleSlots().keySet());
		if (unknown != null) {
			throw fail(linkId, compiled.describe() + " uses %" + unknown + ", which is not defined before it", null);
		}
		CompiledExpression parsed =
				new CompiledExpression(linkId, variable, slot, source, node, compiled.visibleSlots());
		this.expressions.add(parsed);
		return parsed;
	}

	private ScoringRuleException fail(String linkId, String problem, Throwable cause) {
		return new ScoringRuleException(this.questionnaire, linkId, problem, cause);
	}
}
