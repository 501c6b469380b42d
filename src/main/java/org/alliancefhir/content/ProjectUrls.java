package org.alliancefhir.content;

/** The project's own canonical URLs and identifier systems, under {@code https://alliancefhir.org/fhir}. */
public final class ProjectUrls {

	public static final String BASE = "https://alliancefhir.org/fhir";

	/** Instruments, items and scores. */
	public static final String SCORE_CODE_SYSTEM = BASE + "/CodeSystem/alliance";

	/** Comparisons, alerts, split indices and rule kinds. */
	public static final String FEEDBACK_CODE_SYSTEM = BASE + "/CodeSystem/alliance-feedback";

	/** Whose perspective a Questionnaire's answers give (client, parent, therapist, observer, team). */
	public static final String RESPONDENT_PERSPECTIVE_SYSTEM = BASE + "/CodeSystem/respondent-perspective";

	/** Identifier system of score Observations: {@code QuestionnaireResponse/<id>/<score key>}. */
	public static final String SCORE_IDENTIFIER_SYSTEM = BASE + "/identifier/derived-score";

	/** Identifier system of what the feedback rules derive. */
	public static final String FEEDBACK_IDENTIFIER_SYSTEM = BASE + "/identifier/feedback";

	/** The profile every score Observation conforms to. */
	public static final String SCORE_PROFILE = BASE + "/StructureDefinition/alliance-score-observation";

	/**
	 * On a score Observation: the Questionnaire ({@code url|version}) that scored it, whose item texts label its
	 * narrative.
	 */
	public static final String SCORE_QUESTIONNAIRE_EXTENSION = BASE + "/StructureDefinition/score-questionnaire";

	/** On a score Observation: the rater's respondent perspective (CodeSystem respondent-perspective). */
	public static final String RATER_PERSPECTIVE_EXTENSION = BASE + "/StructureDefinition/rater-perspective";

	private ProjectUrls() {}
}
