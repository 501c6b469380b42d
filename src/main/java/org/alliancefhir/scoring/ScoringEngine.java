package org.alliancefhir.scoring;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;

/**
 * Scores QuestionnaireResponses by the rules their Questionnaire carries: root and item {@code variable}s and the
 * {@code calculatedExpression}s of score items, evaluated in FHIRPath with the SDC functions, with answer weights
 * taken from the server's Questionnaire only. Thread-safe; one instance serves the whole application.
 *
 * @see <a href="https://hl7.org/fhir/uv/sdc/STU4/calculations.html">SDC calculations</a>
 */
public final class ScoringEngine {

	private final FHIRPathEngine fhirPath;

	private final PlanCache plans;

	public ScoringEngine() {
		this(FhirContext.forR4Cached());
	}

	public ScoringEngine(FhirContext fhirContext) {
		this.fhirPath = FhirPathEngines.create(fhirContext, new SdcFunctions());
		this.plans = new PlanCache((questionnaire) -> PlanCompiler.compile(this.fhirPath, questionnaire));
	}

	/**
	 * Returns the compiled rules of a Questionnaire, from the cache when its {@code url|version} and rules are
	 * unchanged.
	 * @throws ScoringRuleException when a rule does not parse or uses an undefined variable
	 */
	public ScoringPlan compile(Questionnaire questionnaire) {
		return this.plans.get(questionnaire);
	}

	/**
	 * Computes every score item of the Questionnaire for a response to it.
	 * @throws ScoringRuleException when a rule is invalid or fails on this response
	 */
	public ScoreSheet score(Questionnaire questionnaire, QuestionnaireResponse response) {
		return Evaluation.run(this.fhirPath, compile(questionnaire), questionnaire, response);
	}

	/**
	 * Lists the scores the client put in its response that differ from {@code serverScores} or that the server has
	 * no value for.
	 */
	public List<ScoreDiscrepancy> compareClientScores(
			Questionnaire questionnaire, QuestionnaireResponse response, ScoreSheet serverScores) {
		return ClientScores.compare(compile(questionnaire), serverScores, response);
	}
}
