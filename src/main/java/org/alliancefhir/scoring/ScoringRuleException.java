package org.alliancefhir.scoring;

/**
 * Thrown when a Questionnaire's score rules cannot be compiled or evaluated; names the Questionnaire and item.
 */
public class ScoringRuleException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String questionnaire;

	private final String linkId;

	ScoringRuleException(String questionnaire, String linkId, String problem, Throwable cause) {
		super(
				"Questionnaire " + questionnaire + (linkId == null ? " (root)" : ", item '" + linkId + "'") + ": "
						+ problem,
				cause);
		this.questionnaire = questionnaire;
		this.linkId = linkId;
	}

	/** The canonical {@code url|version} of the Questionnaire whose rule failed. */
	public String questionnaire() {
		return this.questionnaire;
	}

	/** The linkId of the item whose rule failed, or {@code null} for a root-level variable. */
	public String linkId() {
		return this.linkId;
	}
}
