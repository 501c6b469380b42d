package org.alliancefhir.extraction;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.model.DeleteConflictList;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.QuestionnaireResponse;

/**
 * Stores the derived score Observations of a response through HAPI's DAOs, inside the response's own database
 * transaction: new scores are created ({@code final}), changed scores update the same Observation ({@code amended}),
 * unchanged ones are left alone and scores that no longer exist are deleted. The writes are the server's own
 * ({@link DerivedWrites}), so a client allowed to write only responses still gets its scores.
 */
class ScoreObservationWriter {

	private final DaoRegistry daoRegistry;

	ScoreObservationWriter(DaoRegistry daoRegistry) {
		this.daoRegistry = daoRegistry;
	}

	/** Creates, updates and deletes so that exactly {@code fresh} is stored for the response. */
	void replace(QuestionnaireResponse response, List<Observation> fresh, boolean firstVersion, TransactionDetails tx) {
		Map<String, Observation> stored = firstVersion ? Map.of() : storedByIdentifier(response);
		Map<String, Observation> remaining = new HashMap<>(stored);
		for (Observation observation : fresh) {
			Observation previous = remaining.remove(identifier(observation));
			observation.setIssued(new Date());
			if (previous == null) {
				dao().create(observation, null, true, DerivedWrites.request(), tx);
			} else if (!DerivedObservations.sameScore(previous, observation)) {
				observation.setId(previous.getIdElement().toUnqualifiedVersionless());
				observation.setStatus(ObservationStatus.AMENDED);
				dao().update(observation, null, true, false, DerivedWrites.request(), tx);
			}
		}
		remaining.values().forEach(obsolete -> delete(obsolete, tx));
	}

	/** Gives every derived Observation of the response the status, e.g. entered-in-error, keeping its values. */
	void setStatus(QuestionnaireResponse response, ObservationStatus status, TransactionDetails tx) {
		for (Observation observation : storedByIdentifier(response).values()) {
			if (observation.getStatus() != status) {
				observation.setStatus(status);
				dao().update(observation, null, true, false, DerivedWrites.request(), tx);
			}
		}
	}

	/** Deletes every derived Observation of the response. */
	void deleteAll(QuestionnaireResponse response, TransactionDetails tx) {
		storedByIdentifier(response).values().forEach(observation -> delete(observation, tx));
	}

	private void delete(Observation observation, TransactionDetails tx) {
		dao().delete(
						observation.getIdElement().toUnqualifiedVersionless(),
						new DeleteConflictList(),
						DerivedWrites.request(),
						tx);
	}

	private Map<String, Observation> storedByIdentifier(QuestionnaireResponse response) {
		SearchParameterMap search = SearchParameterMap.newSynchronous()
				.add(Observation.SP_DERIVED_FROM, new ReferenceParam(ObservationTemplate.responseReference(response)));
		Map<String, Observation> stored = new HashMap<>();
		dao().search(search, DerivedWrites.request()).getAllResources().stream()
				.map(Observation.class::cast)
				.filter(o -> identifier(o) != null)
				.forEach(o -> stored.put(identifier(o), o));
		return stored;
	}

	private static String identifier(Observation observation) {
		return observation.getIdentifier().stream()
				.filter(i -> ObservationTemplate.IDENTIFIER_SYSTEM.equals(i.getSystem()))
				.map(i -> i.getValue())
				.findFirst()
				.orElse(null);
	}

	@SuppressWarnings("unchecked")
	private IFhirResourceDao<Observation> dao() {
		return (IFhirResourceDao<Observation>) daoRegistry.getResourceDao("Observation");
	}
}
