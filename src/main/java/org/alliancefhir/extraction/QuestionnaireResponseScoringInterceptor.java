package org.alliancefhir.extraction;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import java.util.List;
import java.util.function.Supplier;
import org.alliancefhir.feedback.FeedbackService;
import org.alliancefhir.storage.DerivedResourceStore;
import org.alliancefhir.storage.OvertakenWrites;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;

/**
 * Validates and scores every QuestionnaireResponse as it is stored, keeps its derived score Observations in step and
 * lets the feedback rules react, all in the same database transaction: any failure rolls back the response too.
 * Hooks the pre-commit pointcuts, where the response has its id (for {@code derivedFrom}) and no-op updates do not
 * fire; deletion hooks pre-storage, so the derived resources are gone before HAPI checks references to the response.
 * Each hook first flushes what earlier entries of a transaction Bundle wrote, so the feedback rules see their scores,
 * and reports a derived write another request overtook as a version conflict, so HAPI runs the request again.
 *
 * @see <a href="https://hl7.org/fhir/uv/sdc/STU4/extraction.html">SDC extraction</a>
 */
@Interceptor
public class QuestionnaireResponseScoringInterceptor {

	private final QuestionnaireResponseValidator validator;
	private final ResponseScorer scorer;
	private final ScoreObservationWriter writer;
	private final DerivedResourceStore store;
	private final SubjectAge subjectAge;
	private final FeedbackService feedback;

	QuestionnaireResponseScoringInterceptor(
			QuestionnaireResponseValidator validator,
			ResponseScorer scorer,
			ScoreObservationWriter writer,
			DerivedResourceStore store,
			SubjectAge subjectAge,
			FeedbackService feedback) {
		this.validator = validator;
		this.scorer = scorer;
		this.writer = writer;
		this.store = store;
		this.subjectAge = subjectAge;
		this.feedback = feedback;
	}

	@Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
	public void scoreCreatedResponse(IBaseResource resource, TransactionDetails transaction) {
		if (resource instanceof QuestionnaireResponse response) {
			derive(() -> store(response, true, transaction));
		}
	}

	@Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
	public void rescoreUpdatedResponse(
			IBaseResource oldResource, IBaseResource newResource, TransactionDetails transaction) {
		if (newResource instanceof QuestionnaireResponse response) {
			derive(() -> store(response, false, transaction));
		}
	}

	@Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
	public void deleteDerivedScores(IBaseResource resource, TransactionDetails transaction) {
		if (resource instanceof QuestionnaireResponse response) {
			derive(() -> deleteScoresOf(response, transaction));
		}
	}

	/**
	 * Runs a hook's work on everything the transaction has written so far (earlier entries of a Bundle included),
	 * reporting a derived write another request overtook as a version conflict.
	 */
	private void derive(Runnable work) {
		OvertakenWrites.reportAsVersionConflict(() -> {
			store.flushHeldBackWrites();
			work.run();
		});
	}

	private void deleteScoresOf(QuestionnaireResponse response, TransactionDetails transaction) {
		List<Observation> scores = writer.stored(response);
		feedback.scoresChanged(List.of(), List.of(), scores, () -> null, transaction);
		writer.deleteProvenance(response, transaction);
		writer.delete(scores, transaction);
	}

	private void store(QuestionnaireResponse response, boolean firstVersion, TransactionDetails transaction) {
		if (response.getStatus() == null) {
			throw ResponseProblems.reject(
					IssueType.REQUIRED,
					"QuestionnaireResponse.status",
					"The response has no status (in-progress, completed, amended, entered-in-error or stopped)");
		}
		Supplier<Integer> age = subjectAge.of(response);
		switch (response.getStatus()) {
			case ENTEREDINERROR -> withdraw(response, firstVersion, ObservationStatus.ENTEREDINERROR, age, transaction);
			case COMPLETED, AMENDED -> {
				Questionnaire questionnaire = validator.validate(response);
				List<Observation> scores = scorer.observations(questionnaire, response, age);
				ScoreObservationWriter.Result result = writer.replace(response, scores, firstVersion, transaction);
				feedback.scoresChanged(result.current(), List.of(), result.obsolete(), age, transaction);
				writer.delete(result.obsolete(), transaction);
			}
			default -> {
				validator.validate(response);
				withdraw(response, firstVersion, ObservationStatus.CANCELLED, age, transaction);
			}
		}
	}

	private void withdraw(
			QuestionnaireResponse response,
			boolean firstVersion,
			ObservationStatus status,
			Supplier<Integer> age,
			TransactionDetails transaction) {
		if (!firstVersion) {
			List<Observation> withdrawn = writer.setStatus(response, status, transaction);
			feedback.scoresChanged(List.of(), withdrawn, List.of(), age, transaction);
		}
	}
}
