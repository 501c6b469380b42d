package org.alliancefhir.extraction;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.alliancefhir.storage.DerivedWrites;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Refuses score Observations written by clients: a score derived from a QuestionnaireResponse is computed and
 * kept up to date by the server alone, so a form filler that extracts scores itself (LHC-Forms with
 * {@code extract: true}) gets a clear 422 instead of a silent duplicate next to the server's Observation.
 */
@Interceptor
public class DerivedScoreGuardInterceptor {

	private final String scoreCodeSystem;

	public DerivedScoreGuardInterceptor(String scoreCodeSystem) {
		this.scoreCodeSystem = scoreCodeSystem;
	}

	@Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
	public void refuseClientCreatedScore(IBaseResource resource, RequestDetails request) {
		refuseIfClientScore(resource, request);
	}

	@Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
	public void refuseClientUpdatedScore(IBaseResource oldResource, IBaseResource newResource, RequestDetails request) {
		// the stored version counts too: a client must not turn a derived score into an ordinary Observation either
		refuseIfClientScore(oldResource, request);
		refuseIfClientScore(newResource, request);
	}

	@Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
	public void refuseClientDeletedScore(IBaseResource resource, RequestDetails request) {
		refuseIfClientScore(resource, request);
	}

	private void refuseIfClientScore(IBaseResource resource, RequestDetails request) {
		if (!(resource instanceof Observation observation) || DerivedWrites.isDerivedWrite(request)) {
			return;
		}
		boolean derivedIdentifier = observation.getIdentifier().stream()
				.anyMatch(i -> ObservationTemplate.IDENTIFIER_SYSTEM.equals(i.getSystem()));
		boolean scoreOfResponse =
				observation.getCode().getCoding().stream().anyMatch(c -> scoreCodeSystem.equals(c.getSystem()))
						&& observation.getDerivedFrom().stream().anyMatch(r -> "QuestionnaireResponse"
								.equals(r.getReferenceElement().getResourceType()));
		if (derivedIdentifier || scoreOfResponse) {
			throw ResponseProblems.reject(
					IssueType.BUSINESSRULE,
					"Observation",
					"Scores of QuestionnaireResponses are computed by this server when the response is stored; "
							+ "post the QuestionnaireResponse only (form fillers: do not extract Observations yourself), "
							+ "and amend, withdraw (entered-in-error) or delete the response to change its scores");
		}
	}
}
