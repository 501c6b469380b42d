package org.alliancefhir.extraction;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import java.util.List;
import org.alliancefhir.outbox.FeedbackOutbox;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;

/**
 * The request's part of the write path: validates and scores every QuestionnaireResponse as it is stored, keeps its
 * score Observations in step and records in the feedback outbox that their feedback is due, all in the response's
 * database transaction (any failure rolls back the response too). The feedback itself (comparisons, alerts, split
 * indices) is derived after the commit by the outbox's workers, except for scores being deleted, whose dependants go
 * in the same transaction. Hooks the pre-commit pointcuts, where the response has its id (for {@code derivedFrom}) and
 * no-op updates do not fire; deletion hooks pre-storage, so the derived resources are gone before HAPI checks
 * references to the response.
 *
 * @see <a href="https://hl7.org/fhir/uv/sdc/STU4/extraction.html">SDC extraction</a>
 */
@Interceptor
public class QuestionnaireResponseScoringInterceptor {

	private final QuestionnaireResponseValidator validator;
	private final ResponseScorer scorer;
	private final ScoreObservationWriter writer;
	private final SubjectAge subjectAge;
	private final FeedbackOutbox feedback;

	QuestionnaireResponseScoringInterceptor(
			QuestionnaireResponseValidator validator,
			ResponseScorer scorer,
			ScoreObservationWriter writer,
			SubjectAge subjectAge,
			FeedbackOutbox feedback) {
		this.validator = validator;
		this.scorer = scorer;
		this.writer = writer;
		this.subjectAge = subjectAge;
		this.feedback = feedback;
	}

	@Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
	public void scoreCreatedResponse(IBaseResource resource, TransactionDetails transaction) {
		if (resource instanceof QuestionnaireResponse response) {
			store(response, true, transaction);
		}
	}

	@Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
	public void rescoreUpdatedResponse(
			IBaseResource oldResource, IBaseResource newResource, TransactionDetails transaction) {
		if (newResource instanceof QuestionnaireResponse response) {
			store(response, false, transaction);
		}
	}

	@Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
	public void deleteDerivedScores(IBaseResource resource, TransactionDetails transaction) {
		if (resource instanceof QuestionnaireResponse response) {
			List<Observation> scores = writer.stored(response);
			feedback.deleting(scores, transaction);
			writer.deleteAll(response, scores, transaction);
		}
	}

	private void store(QuestionnaireResponse response, boolean firstVersion, TransactionDetails transaction) {
		if (response.getStatus() == null) {
			throw ResponseProblems.reject(
					IssueType.REQUIRED,
					"QuestionnaireResponse.status",
					"The response has no status (in-progress, completed, amended, entered-in-error or stopped)");
		}
		switch (response.getStatus()) {
			case ENTEREDINERROR -> withdraw(response, firstVersion, ObservationStatus.ENTEREDINERROR, transaction);
			case COMPLETED, AMENDED -> {
				Questionnaire questionnaire = validator.validate(response);
				List<Observation> scores = scorer.observations(questionnaire, response, subjectAge.of(response));
				ScoreObservationWriter.Result result = writer.replace(response, scores, firstVersion, transaction);
				feedback.feedbackDue(result.current());
				feedback.deleting(result.obsolete(), transaction);
				writer.delete(result.obsolete(), transaction);
			}
			default -> {
				validator.validate(response);
				withdraw(response, firstVersion, ObservationStatus.CANCELLED, transaction);
			}
		}
	}

	private void withdraw(
			QuestionnaireResponse response,
			boolean firstVersion,
			ObservationStatus status,
			TransactionDetails transaction) {
		if (!firstVersion) {
			feedback.feedbackDue(writer.setStatus(response, status, transaction));
		}
	}
}
