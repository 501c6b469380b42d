package org.alliancefhir.extraction;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.alliancefhir.storage.DerivedWrites;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;

/**
 * Checks that the Encounter a response names is an encounter of the response's own subject: the score
 * Observations copy both references, and an Encounter of another patient would file one patient's scores under
 * another patient's visit. HAPI checks only that the Encounter exists.
 */
class EncounterSubject {

	private final DaoRegistry daoRegistry;

	EncounterSubject(DaoRegistry daoRegistry) {
		this.daoRegistry = daoRegistry;
	}

	void check(QuestionnaireResponse response, ResponseProblems problems) {
		IdType encounterId = new IdType(response.getEncounter().getReference());
		if (!response.getSubject().hasReference()
				|| encounterId.isEmpty()
				|| encounterId.isAbsolute()
				|| !"Encounter".equals(encounterId.getResourceType())) {
			return;
		}
		Encounter encounter;
		try {
			encounter = (Encounter) daoRegistry
					.getResourceDao("Encounter")
					.read(encounterId.toUnqualifiedVersionless(), DerivedWrites.request());
		} catch (ResourceNotFoundException | ResourceGoneException e) {
			// storing reports a missing Encounter itself (referential integrity); $extract stores nothing
			return;
		}
		if (!versionless(encounter.getSubject()).equals(versionless(response.getSubject()))) {
			problems.add(
					IssueType.BUSINESSRULE,
					"QuestionnaireResponse.encounter",
					encounterId.toUnqualifiedVersionless().getValue() + " is not an encounter of "
							+ versionless(response.getSubject()) + ", the subject of the response");
		}
	}

	private static String versionless(Reference reference) {
		return reference.hasReference()
				? new IdType(reference.getReference())
						.toUnqualifiedVersionless()
						.getValue()
				: "";
	}
}
