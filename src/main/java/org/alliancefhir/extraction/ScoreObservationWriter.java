package org.alliancefhir.extraction;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.alliancefhir.storage.DerivedResourceStore;
import org.alliancefhir.storage.SameContent;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.QuestionnaireResponse;

/**
 * Stores the derived score Observations of a response inside the response's own database transaction: new scores
 * are created ({@code final}), changed scores update the same Observation ({@code amended}), unchanged ones are left
 * alone and scores that no longer exist are deleted; a {@link ScoreProvenance} records each scoring activity. The
 * writes are the server's own, so a client allowed to write only responses still gets its scores.
 */
class ScoreObservationWriter {

	/** What one write did: the scores now current for the response, and obsolete ones the caller must delete. */
	record Result(List<Observation> current, List<Observation> obsolete) {}

	private final DerivedResourceStore store;
	private final ScoreProvenance provenance;

	ScoreObservationWriter(DerivedResourceStore store) {
		this.store = store;
		this.provenance = new ScoreProvenance(store);
	}

	/**
	 * Creates and updates so that {@code fresh} is stored for the response; stored scores that are no longer
	 * computed are returned as obsolete, for the caller to delete once their dependants are gone.
	 */
	Result replace(
			QuestionnaireResponse response, List<Observation> fresh, boolean firstVersion, TransactionDetails tx) {
		Map<String, Observation> remaining = firstVersion ? new HashMap<>() : storedByIdentifier(response);
		List<Observation> current = new ArrayList<>();
		List<Observation> derived = new ArrayList<>();
		for (Observation observation : fresh) {
			Observation previous = remaining.remove(identifier(observation));
			observation.setIssued(new Date());
			if (previous == null) {
				derived.add(store.create(observation, tx));
			} else if (!SameContent.currentAndSame(
					previous,
					observation,
					o -> o.setIssuedElement(null),
					o -> o.setText(null),
					// a score stored with its narrative, before the marks, stays as it is while its values do
					ScoreNarrative.isMarked(previous) ? o -> {} : ScoreNarrative::unmark)) {
				observation.setId(previous.getIdElement().toUnqualifiedVersionless());
				observation.setStatus(ObservationStatus.AMENDED);
				derived.add(store.update(observation, tx));
			} else {
				current.add(previous);
				continue;
			}
			current.add(observation);
		}
		provenance.record(response, derived, tx);
		return new Result(current, List.copyOf(remaining.values()));
	}

	/** Gives every derived Observation of the response the status, e.g. entered-in-error, keeping its values. */
	List<Observation> setStatus(QuestionnaireResponse response, ObservationStatus status, TransactionDetails tx) {
		List<Observation> changed = new ArrayList<>();
		for (Observation observation : storedByIdentifier(response).values()) {
			if (observation.getStatus() != status) {
				observation.setStatus(status);
				changed.add(store.update(observation, tx));
			}
		}
		return changed;
	}

	/** The derived Observations of the response, to be deleted with it. */
	List<Observation> stored(QuestionnaireResponse response) {
		return List.copyOf(storedByIdentifier(response).values());
	}

	/** Deletes the response's scores, after taking the response and them out of the Provenances that name them. */
	void deleteAll(QuestionnaireResponse response, List<Observation> scores, TransactionDetails tx) {
		provenance.forgetResponse(response, scores, tx);
		scores.forEach(observation -> store.delete(observation, tx));
	}

	/** Deletes scores no longer computed, after taking them out of the Provenances that target them. */
	void delete(List<Observation> obsolete, TransactionDetails tx) {
		provenance.forgetScores(obsolete, tx);
		obsolete.forEach(observation -> store.delete(observation, tx));
	}

	private Map<String, Observation> storedByIdentifier(QuestionnaireResponse response) {
		SearchParameterMap search = SearchParameterMap.newSynchronous()
				.add(Observation.SP_DERIVED_FROM, new ReferenceParam(ObservationTemplate.responseReference(response)));
		Map<String, Observation> stored = new HashMap<>();
		store.search(Observation.class, search).stream()
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
}
