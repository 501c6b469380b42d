package org.alliancefhir.extraction;

import java.util.List;
import java.util.function.Supplier;
import org.alliancefhir.content.RespondentPerspective;
import org.alliancefhir.scoring.ScoreDiscrepancy;
import org.alliancefhir.scoring.ScoreSheet;
import org.alliancefhir.scoring.ScoringEngine;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;

/**
 * Scores a validated response and builds its finished score Observations (values, components, cut-offs, and the
 * marks from which {@link ServedScoreNarrative} writes the narrative when they are served): the one code path behind
 * both storage and {@code $extract}. Scores the client sent must agree with
 * the server's, or the response is rejected naming the item and both values.
 */
class ResponseScorer {

	private final ScoringEngine engine;
	private final ScoreObservationBuilder builder = new ScoreObservationBuilder(new ObservationTemplate());
	private final ScoreInterpretation interpretation;

	ResponseScorer(ScoringEngine engine, ScoreInterpretation interpretation) {
		this.engine = engine;
		this.interpretation = interpretation;
	}

	List<Observation> observations(
			Questionnaire questionnaire, QuestionnaireResponse response, Supplier<Integer> subjectAgeInYears) {
		ScoreSheet scores = engine.score(questionnaire, response);
		rejectDisagreeingClientScores(engine.compareClientScores(questionnaire, response, scores));
		List<Observation> observations = builder.build(questionnaire, response, scores);
		String rater = RespondentPerspective.ofRater(questionnaire, response).orElse(null);
		for (Observation observation : observations) {
			interpretation.apply(observation, subjectAgeInYears, rater);
			ScoreNarrative.mark(observation, questionnaire, rater);
		}
		return observations;
	}

	private static void rejectDisagreeingClientScores(List<ScoreDiscrepancy> discrepancies) {
		ResponseProblems problems = new ResponseProblems();
		for (ScoreDiscrepancy discrepancy : discrepancies) {
			String server =
					discrepancy.serverValue().map(v -> v.toPlainString()).orElse("no score");
			problems.add(
					IssueType.BUSINESSRULE,
					// descendants(): a component score sits nested in its parent score's answer, not at the top
					"QuestionnaireResponse.descendants().where(linkId = '" + discrepancy.linkId() + "')",
					"Score item '" + discrepancy.linkId() + "'" + instance(discrepancy) + " was sent as "
							+ discrepancy.clientValue() + " but the server computes " + server
							+ " from the answers; send no score items or the correct ones");
		}
		problems.rejectIfAny();
	}

	private static String instance(ScoreDiscrepancy discrepancy) {
		return discrepancy.groupInstancePath().isEmpty()
				? ""
				: " (group instance " + discrepancy.groupInstancePath() + ")";
	}
}
