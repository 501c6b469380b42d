package org.alliancefhir.extraction;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Collects what is wrong with a response as OperationOutcome issues, each with the FHIRPath location of the item
 * at fault, and rejects the response with HTTP 422 when there is any error.
 */
class ResponseProblems {

	private final OperationOutcome outcome = new OperationOutcome();

	ResponseProblems add(IssueType type, String location, String message) {
		outcome.addIssue()
				.setSeverity(IssueSeverity.ERROR)
				.setCode(type)
				.setDiagnostics(message)
				.addExpression(location);
		return this;
	}

	ResponseProblems addIssue(OperationOutcome.OperationOutcomeIssueComponent issue) {
		outcome.addIssue(issue);
		return this;
	}

	boolean isEmpty() {
		return outcome.getIssue().isEmpty();
	}

	/** Throws a 422 carrying every issue, when there is one. */
	void rejectIfAny() {
		if (!isEmpty()) {
			throw reject(outcome);
		}
	}

	static UnprocessableEntityException reject(OperationOutcome outcome) {
		String summary = outcome.getIssue().size() == 1
				? outcome.getIssueFirstRep().getDiagnostics()
				: outcome.getIssue().size() + " problems, the first: "
						+ outcome.getIssueFirstRep().getDiagnostics();
		return new UnprocessableEntityException(summary, outcome);
	}

	static UnprocessableEntityException reject(IssueType type, String location, String message) {
		return reject(new ResponseProblems().add(type, location, message).outcome);
	}

	OperationOutcome outcome() {
		return outcome;
	}
}
