package org.alliancefhir.extraction;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import org.alliancefhir.content.ObservationDefinitionCatalog;
import org.alliancefhir.content.QuestionnaireCatalog;
import org.alliancefhir.outbox.FeedbackOutbox;
import org.alliancefhir.scoring.ScoringEngine;
import org.alliancefhir.storage.DerivedResourceStore;

/**
 * Assembles the extraction feature from its collaborators once, so the server wiring only registers the three
 * parts it exposes: the storage interceptor (which hands changed scores to the feedback outbox), the guard against
 * client-written scores, {@code $extract} and the narrative of served score Observations.
 */
public final class ExtractionComponents {

	private final QuestionnaireResponseScoringInterceptor storageInterceptor;
	private final QuestionnaireResponseExtractProvider extractProvider;
	private final AnswerValueSets answerValueSets;
	private final ScoreNarrativeInterceptor narrativeInterceptor;
	private final ScoreNarrativeDeliveryInterceptor narrativeDeliveryInterceptor;

	public ExtractionComponents(
			FhirContext fhirContext,
			IValidationSupport storeValidationSupport,
			DaoRegistry daoRegistry,
			QuestionnaireCatalog questionnaires,
			ObservationDefinitionCatalog definitions,
			ScoringEngine engine,
			DerivedResourceStore store,
			FeedbackOutbox feedback,
			boolean alwaysInstanceValidation,
			String terminologyServerUrl) {
		this.answerValueSets = new AnswerValueSets(
				daoRegistry,
				terminologyServerUrl.isBlank() ? null : new TerminologyServer(fhirContext, terminologyServerUrl));
		QuestionnaireResponseValidator validator = new QuestionnaireResponseValidator(
				fhirContext,
				storeValidationSupport,
				questionnaires,
				answerValueSets,
				new AnswerReferences(daoRegistry),
				new EncounterSubject(daoRegistry),
				alwaysInstanceValidation);
		ScoreInterpretation interpretation = new ScoreInterpretation(definitions);
		ResponseScorer scorer = new ResponseScorer(engine, interpretation);
		ServedScoreNarrative servedNarrative = new ServedScoreNarrative(questionnaires, interpretation);
		this.narrativeInterceptor = new ScoreNarrativeInterceptor(servedNarrative);
		this.narrativeDeliveryInterceptor = new ScoreNarrativeDeliveryInterceptor(fhirContext, servedNarrative);
		SubjectAge subjectAge = new SubjectAge(store);
		this.storageInterceptor = new QuestionnaireResponseScoringInterceptor(
				validator, scorer, new ScoreObservationWriter(store), subjectAge, feedback);
		this.extractProvider = new QuestionnaireResponseExtractProvider(validator, scorer, subjectAge, daoRegistry);
	}

	public QuestionnaireResponseScoringInterceptor storageInterceptor() {
		return storageInterceptor;
	}

	public QuestionnaireResponseExtractProvider extractProvider() {
		return extractProvider;
	}

	/** For the REST server: writes the narrative of score Observations into the answers that carry them. */
	public ScoreNarrativeInterceptor narrativeInterceptor() {
		return narrativeInterceptor;
	}

	/** For the JPA interceptor service: writes the narrative of score Observations that Subscriptions deliver. */
	public ScoreNarrativeDeliveryInterceptor narrativeDeliveryInterceptor() {
		return narrativeDeliveryInterceptor;
	}

	/** For the JPA interceptor service: a written ValueSet makes the answer ValueSets be read again. */
	public Object valueSetChangeInterceptor() {
		return answerValueSets.changeInterceptor();
	}

	/** Refuses client-written Observations coded from the given score CodeSystem and derived from a response. */
	public DerivedScoreGuardInterceptor guard(String scoreCodeSystem) {
		return new DerivedScoreGuardInterceptor(scoreCodeSystem);
	}
}
