package org.alliancefhir.scoring;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.exceptions.PathEngineException;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;

/**
 * One run of a {@link ScoringPlan} over one response, and the FHIRPath application context of that run: it
 * resolves {@code %questionnaire}, the variables in scope and the answer weights.
 *
 * <p>
 * Variables live in slots numbered at compile time; a group's variables are overwritten per group instance, which
 * is safe because instances are evaluated one after the other, depth first.
 */
final class Evaluation {

	private final FHIRPathEngine fhirPath;

	private final ScoringPlan plan;

	private final Questionnaire questionnaire;

	private final QuestionnaireResponse response;

	private final List<List<Base>> slots;

	private final List<Score> scores = new ArrayList<>();

	private Map<String, Integer> visibleSlots = Map.of();

	private Map<Base, Base> weights;

	private final List<List<Base>> shared;

	private final EvaluationBudget budget = new EvaluationBudget();

	private Evaluation(
			FHIRPathEngine fhirPath, ScoringPlan plan, Questionnaire questionnaire, QuestionnaireResponse response) {
		this.fhirPath = fhirPath;
		this.plan = plan;
		this.questionnaire = questionnaire;
		this.response = response;
		this.slots = new ArrayList<>(Collections.nCopies(plan.slotCount(), List.of()));
		this.shared =
				new ArrayList<>(Collections.nCopies(plan.precomputed().shared().size(), null));
	}

	static ScoreSheet run(
			FHIRPathEngine fhirPath, ScoringPlan plan, Questionnaire questionnaire, QuestionnaireResponse response) {
		Evaluation evaluation = new Evaluation(fhirPath, plan, questionnaire, response);
		evaluation.evaluate(plan.root(), response, List.of());
		return new ScoreSheet(plan.questionnaire(), evaluation.scores);
	}

	private void evaluate(PlanItem item, Base context, List<Integer> path) {
		for (CompiledExpression variable : item.variables()) {
			this.slots.set(variable.slot(), evaluate(variable, context));
		}
		if (item.calculation() != null) {
			this.scores.add(new Score(item.linkId(), path, value(item.calculation(), context)));
		}
		for (PlanItem child : item.children()) {
			if (child.group()) {
				evaluateGroup(child, context, path);
			} else {
				evaluate(child, context, path);
			}
		}
	}

	private void evaluateGroup(PlanItem group, Base context, List<Integer> path) {
		List<QuestionnaireResponseItemComponent> instances = ResponseItems.instances(context, group.linkId());
		if (!group.repeats()) {
			if (instances.isEmpty()) {
				addUnscored(group, path);
			} else {
				evaluate(group, instances.get(0), path);
			}
			return;
		}
		for (int i = 0; i < instances.size(); i++) {
			List<Integer> instancePath = new ArrayList<>(path);
			instancePath.add(i);
			evaluate(group, instances.get(i), List.copyOf(instancePath));
		}
	}

	/** A group missing from the response has no context to score in: its scores are empty, not guessed. */
	private void addUnscored(PlanItem item, List<Integer> path) {
		if (item.calculation() != null) {
			this.scores.add(new Score(item.linkId(), path, Optional.empty()));
		}
		for (PlanItem child : item.children()) {
			if (!child.repeats()) {
				addUnscored(child, path);
			}
		}
	}

	private Optional<BigDecimal> value(CompiledExpression calculation, Base context) {
		List<Base> result = evaluate(calculation, context);
		if (result.isEmpty()) {
			return Optional.empty();
		}
		BigDecimal value = (result.size() == 1) ? Numbers.toDecimal(result.get(0)) : null;
		if (value == null) {
			throw new ScoringRuleException(
					this.plan.questionnaire(),
					calculation.linkId(),
					calculation.describe() + " gave " + result.size() + " value(s) of type "
							+ result.get(0).fhirType() + "; a score is one number",
					null);
		}
		return Optional.of(value);
	}

	private List<Base> evaluate(CompiledExpression expression, Base context) {
		this.visibleSlots = expression.visibleSlots();
		try {
			List<Base> result = EvaluationBudget.checkSize(
					this.fhirPath.evaluate(this, this.response, this.response, context, expression.node()));
			this.budget.checkTime();
			return result;
		} catch (RuntimeException | StackOverflowError ex) {
			String problem = (ex instanceof StackOverflowError) ? "nests too deeply to evaluate" : ex.getMessage();
			throw new ScoringRuleException(
					this.plan.questionnaire(), expression.linkId(), expression.describe() + " failed: " + problem, ex);
		}
	}

	/** Resolves {@code %name} for the expression being evaluated. */
	List<Base> constant(String name) {
		this.budget.checkTime();
		if ("questionnaire".equals(name)) {
			return List.of(this.questionnaire);
		}
		Integer slot = this.visibleSlots.get(name);
		if (slot == null) {
			throw new PathEngineException("Unknown variable %" + name);
		}
		return this.slots.get(slot);
	}

	/** The value of a literal collection or shared path that {@link PlanOptimizer} took out of the expressions. */
	List<Base> precomputed(String functionName) {
		int index = Precomputed.index(functionName);
		if (Precomputed.isConstant(functionName)) {
			return this.plan.precomputed().constants().get(index);
		}
		List<Base> value = this.shared.get(index);
		this.budget.checkTime();
		if (value == null) {
			value = this.fhirPath.evaluate(
					this,
					this.response,
					this.response,
					this.response,
					this.plan.precomputed().shared().get(index));
			this.shared.set(index, value);
		}
		return value;
	}

	/** The weight the server's Questionnaire gives this answer value, or {@code null}. */
	Base weightOf(Base answerValue) {
		this.budget.checkTime();
		if (this.weights == null) {
			this.weights = this.plan.weights().index(this.response);
		}
		return this.weights.get(answerValue);
	}
}
