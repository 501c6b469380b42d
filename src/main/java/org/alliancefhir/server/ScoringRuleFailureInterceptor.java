package org.alliancefhir.server;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.alliancefhir.scoring.ScoringRuleException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Answers a request that failed on a Questionnaire's own score rule (one that does not compile, breaks the bounds of
 * FHIRPath expressions or fails on this response) with 422 naming the Questionnaire and item, instead of HAPI's 500:
 * the request can be fixed, by the author of the Questionnaire. Nothing of the request is stored either way.
 */
@Interceptor
public class ScoringRuleFailureInterceptor {

	@Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
	public BaseServerResponseException answerBrokenScoreRulesWith422(Throwable exception) {
		for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
			if (cause instanceof ScoringRuleException broken) {
				OperationOutcome outcome = new OperationOutcome();
				outcome.addIssue()
						.setSeverity(IssueSeverity.ERROR)
						.setCode(IssueType.BUSINESSRULE)
						.setDiagnostics(broken.getMessage());
				return new UnprocessableEntityException(broken.getMessage(), outcome);
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}
}
