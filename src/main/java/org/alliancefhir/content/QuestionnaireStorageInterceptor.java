package org.alliancefhir.content;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.param.UriParam;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.List;
import java.util.Objects;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Questionnaire;

/**
 * Refuses, with 422, a Questionnaire about to be stored whose FHIRPath expressions do not parse or break their bounds
 * ({@link QuestionnaireExpressions}), naming every item at fault, and a second Questionnaire with the {@code url|version}
 * of a stored one: responses name their Questionnaire by {@code url|version}, so it must identify one. Before these
 * checks a pathological expression was accepted, and every later response to it failed with 500 or exhausted the heap.
 * Updating the same resource keeps its identity and is allowed.
 */
@Interceptor
public class QuestionnaireStorageInterceptor {

	private final QuestionnaireExpressions expressions;
	private final DaoRegistry daoRegistry;

	public QuestionnaireStorageInterceptor(QuestionnaireExpressions expressions, DaoRegistry daoRegistry) {
		this.expressions = expressions;
		this.daoRegistry = daoRegistry;
	}

	@Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
	public void rejectUnsafeCreatedQuestionnaire(IBaseResource resource) {
		if (resource instanceof Questionnaire questionnaire) {
			rejectUnsafe(questionnaire);
		}
	}

	@Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
	public void rejectUnsafeUpdatedQuestionnaire(IBaseResource oldResource, IBaseResource newResource) {
		if (newResource instanceof Questionnaire questionnaire) {
			rejectUnsafe(questionnaire);
		}
	}

	private void rejectUnsafe(Questionnaire questionnaire) {
		OperationOutcome outcome = new OperationOutcome();
		for (String problem : expressions.problems(questionnaire)) {
			outcome.addIssue()
					.setSeverity(IssueSeverity.ERROR)
					.setCode(IssueType.INVALID)
					.setDiagnostics(problem);
		}
		String duplicate = storedWithSameCanonical(questionnaire);
		if (duplicate != null) {
			outcome.addIssue()
					.setSeverity(IssueSeverity.ERROR)
					.setCode(IssueType.DUPLICATE)
					.setDiagnostics("Questionnaire " + questionnaire.getUrl() + "|" + questionnaire.getVersion()
							+ " is already stored as " + duplicate + "; give this one another version, or update "
							+ duplicate)
					.addExpression("Questionnaire.version");
		}
		if (outcome.hasIssue()) {
			throw new UnprocessableEntityException(outcome.getIssueFirstRep().getDiagnostics(), outcome);
		}
	}

	/** The id of another stored Questionnaire with the same {@code url|version}, or {@code null}. */
	private String storedWithSameCanonical(Questionnaire questionnaire) {
		if (!questionnaire.hasUrl() || !questionnaire.hasVersion()) {
			return null;
		}
		SearchParameterMap search = SearchParameterMap.newSynchronous()
				.add("url", new UriParam(questionnaire.getUrl()))
				.add("version", new TokenParam(questionnaire.getVersion()));
		String ownId = questionnaire.getIdElement().getIdPart();
		List<IBaseResource> stored = daoRegistry
				.getResourceDao("Questionnaire")
				.search(search, new SystemRequestDetails())
				.getAllResources();
		return stored.stream()
				.map(Questionnaire.class::cast)
				.filter(other -> questionnaire.getUrl().equals(other.getUrl())
						&& questionnaire.getVersion().equals(other.getVersion()))
				.map(other -> other.getIdElement().getIdPart())
				.filter(id -> !Objects.equals(id, ownId))
				.findFirst()
				.map(id -> "Questionnaire/" + id)
				.orElse(null);
	}
}
