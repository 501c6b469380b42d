package org.alliancefhir.server;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;

/**
 * Refuses, with 422, every resource about to be stored whose narrative, or a contained resource's or Bundle entry's,
 * breaks FHIR's narrative rule txt-1 ({@link NarrativeRules}): scripts, event attributes, {@code javascript:} links and
 * iframes were stored as sent, from patient apps too, and an EHR may show a narrative as HTML. Refused rather than
 * cleaned, so that what is stored is what the client signed off. Hooks the pre-storage pointcuts, so transaction
 * entries are covered; the message names the element, never the narrative's text.
 *
 * @see <a href="https://hl7.org/fhir/R4/narrative.html#Narrative">Narrative, txt-1</a>
 */
@Interceptor
public class UnsafeNarrativeInterceptor {

	private final NarrativeRules rules;

	UnsafeNarrativeInterceptor(NarrativeRules rules) {
		this.rules = rules;
	}

	@Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
	public void rejectCreatedResourceWithUnsafeNarrative(IBaseResource resource) {
		rejectUnsafeNarratives(resource);
	}

	@Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
	public void rejectUpdatedResourceWithUnsafeNarrative(IBaseResource oldResource, IBaseResource newResource) {
		rejectUnsafeNarratives(newResource);
	}

	private void rejectUnsafeNarratives(IBaseResource resource) {
		if (resource instanceof Resource r4) {
			check(r4, r4.fhirType());
		}
	}

	private void check(Resource resource, String path) {
		if (resource instanceof DomainResource domain) {
			String problem = domain.hasText() ? rules.problem(domain.getText()) : null;
			if (problem != null) {
				refuse(path + ".text.div", problem);
			}
			List<Resource> contained = domain.getContained();
			for (int i = 0; i < contained.size(); i++) {
				check(contained.get(i), path + ".contained[" + i + "]");
			}
		}
		if (resource instanceof Bundle bundle) {
			for (int i = 0; i < bundle.getEntry().size(); i++) {
				Resource entry = bundle.getEntry().get(i).getResource();
				if (entry != null) {
					check(entry, path + ".entry[" + i + "].resource");
				}
			}
		}
	}

	private static void refuse(String path, String problem) {
		String message = path + " contains " + problem
				+ "; a narrative may hold only basic XHTML without active content (FHIR txt-1)";
		OperationOutcome outcome = new OperationOutcome();
		outcome.addIssue()
				.setSeverity(IssueSeverity.ERROR)
				.setCode(IssueType.INVALID)
				.setDiagnostics(message)
				.addExpression(path);
		throw new UnprocessableEntityException(message, outcome);
	}
}
