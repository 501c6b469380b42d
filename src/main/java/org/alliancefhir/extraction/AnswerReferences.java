package org.alliancefhir.extraction;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import org.alliancefhir.storage.DerivedWrites;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.Reference;

/**
 * Checks that every answer referring to a resource on this server (a rated family member, say) refers to one that
 * exists: HAPI does not check references inside answers, but a score Observation carrying it would be refused.
 */
class AnswerReferences {

	private final DaoRegistry daoRegistry;

	AnswerReferences(DaoRegistry daoRegistry) {
		this.daoRegistry = daoRegistry;
	}

	void check(QuestionnaireResponse response, ResponseProblems problems) {
		check(response.getItem(), "QuestionnaireResponse", problems);
	}

	private void check(List<QuestionnaireResponseItemComponent> items, String path, ResponseProblems problems) {
		for (int i = 0; i < items.size(); i++) {
			QuestionnaireResponseItemComponent item = items.get(i);
			String itemPath = path + ".item[" + i + "]";
			for (int a = 0; a < item.getAnswer().size(); a++) {
				QuestionnaireResponseItemAnswerComponent answer =
						item.getAnswer().get(a);
				if (answer.getValue() instanceof Reference reference && !exists(reference)) {
					problems.add(
							IssueType.NOTFOUND,
							itemPath + ".answer[" + a + "].value",
							"Item '" + item.getLinkId() + "' refers to " + reference.getReference()
									+ ", which does not exist on this server");
				}
				check(answer.getItem(), itemPath + ".answer[" + a + "]", problems);
			}
			check(item.getItem(), itemPath, problems);
		}
	}

	private boolean exists(Reference reference) {
		IdType id = new IdType(reference.getReference());
		if (!reference.hasReference()
				|| id.isAbsolute()
				|| !id.hasResourceType()
				|| !id.hasIdPart()
				|| !daoRegistry.isResourceTypeSupported(id.getResourceType())) {
			return true;
		}
		try {
			daoRegistry
					.getResourceDao(id.getResourceType())
					.read(id.toUnqualifiedVersionless(), DerivedWrites.request());
			return true;
		} catch (ResourceNotFoundException | ResourceGoneException e) {
			return false;
		}
	}
}
