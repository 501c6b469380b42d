package org.alliancefhir.extraction;

import java.util.Set;
import org.alliancefhir.content.ProjectUrls;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;

/**
 * The part of every derived score Observation that comes from its response: status, subject, encounter, time,
 * performer, provenance links, profile and the deterministic identifier that makes re-scoring update instead of
 * duplicate.
 */
class ObservationTemplate {

	static final String IDENTIFIER_SYSTEM = ProjectUrls.SCORE_IDENTIFIER_SYSTEM;

	static final String SCORE_PROFILE = ProjectUrls.SCORE_PROFILE;

	private static final Set<String> PERFORMER_TYPES =
			Set.of("Practitioner", "PractitionerRole", "Organization", "CareTeam", "Patient", "RelatedPerson");
	private static final Set<String> BASED_ON_TYPES = Set.of("CarePlan", "ServiceRequest");

	Observation forResponse(QuestionnaireResponse response, String key) {
		Observation observation = new Observation();
		observation.getMeta().addProfile(SCORE_PROFILE);
		observation.addIdentifier().setSystem(IDENTIFIER_SYSTEM).setValue(identifierValue(response, key));
		observation.setStatus(ObservationStatus.FINAL);
		observation.setSubject(response.getSubject().copy());
		if (response.hasEncounter()) {
			observation.setEncounter(response.getEncounter().copy());
		}
		if (response.hasAuthored()) {
			observation.setEffective(response.getAuthoredElement().copy());
		}
		if (response.hasAuthor() && PERFORMER_TYPES.contains(typeOf(response.getAuthor()))) {
			observation.addPerformer(response.getAuthor().copy());
		}
		response.getBasedOn().stream()
				.filter(r -> BASED_ON_TYPES.contains(typeOf(r)))
				.forEach(r -> observation.addBasedOn(r.copy()));
		response.getPartOf().stream()
				.filter(r -> "Procedure".equals(typeOf(r)))
				.forEach(r -> observation.addPartOf(r.copy()));
		observation.addDerivedFrom(new Reference(responseReference(response)));
		return observation;
	}

	/** {@code QuestionnaireResponse/<id>}, or the response's {@code urn:uuid:} when it is not stored. */
	static String responseReference(QuestionnaireResponse response) {
		String id = response.getIdElement().getValue();
		return id != null && id.startsWith("urn:")
				? id
				: "QuestionnaireResponse/" + response.getIdElement().getIdPart();
	}

	static String identifierValue(QuestionnaireResponse response, String key) {
		return responseReference(response) + "/" + key;
	}

	private static String typeOf(Reference reference) {
		return reference.getReferenceElement().getResourceType();
	}
}
