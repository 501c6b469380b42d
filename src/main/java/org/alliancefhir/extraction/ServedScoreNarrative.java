package org.alliancefhir.extraction;

import org.alliancefhir.content.QuestionnaireCatalog;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Questionnaire;

/**
 * Writes the narrative of a score Observation that is stored without one, from the Observation itself and the marks
 * the scorer left on it (the Questionnaire that scored it and the rater's perspective), with {@link ScoreNarrative}.
 */
class ServedScoreNarrative {

	private final QuestionnaireCatalog questionnaires;
	private final ScoreInterpretation interpretation;
	private final ScoreNarrative narrative = new ScoreNarrative();

	ServedScoreNarrative(QuestionnaireCatalog questionnaires, ScoreInterpretation interpretation) {
		this.questionnaires = questionnaires;
		this.interpretation = interpretation;
	}

	/**
	 * Gives a marked score Observation without narrative its narrative; leaves every other Observation alone.
	 *
	 * @return whether it wrote a narrative
	 */
	boolean describe(Observation observation) {
		if (observation.hasText() || !ScoreNarrative.isMarked(observation)) {
			return false;
		}
		String rater = ScoreNarrative.rater(observation);
		narrative.describe(
				observation,
				questionnaires.find(ScoreNarrative.questionnaire(observation)).orElseGet(() -> unknown(observation)),
				rater,
				interpretation.withheld(observation, rater));
		return true;
	}

	/** A Questionnaire no longer stored: the narrative is titled with the score's own code. */
	private static Questionnaire unknown(Observation observation) {
		return new Questionnaire()
				.setTitle(
						observation.getCode().getCodingFirstRep().hasDisplay()
								? observation.getCode().getCodingFirstRep().getDisplay()
								: observation.getCode().getCodingFirstRep().getCode());
	}
}
