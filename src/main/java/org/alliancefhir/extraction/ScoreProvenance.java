package org.alliancefhir.extraction;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.alliancefhir.storage.DerivedResourceStore;
import org.alliancefhir.storage.HashedIds;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Provenance.ProvenanceEntityRole;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * One Provenance per scoring activity: a transaction that scored responses (a POST, or a transaction Bundle of many)
 * gets one Provenance, written just before it commits, with every score Observation it derived as {@code target},
 * every response it scored as {@code entity} (role source), this server as agent (assembler) and {@code recorded} =
 * now. A response has at most one: when it is re-scored or deleted it leaves the Provenance of its earlier activity
 * (which is deleted once it names no response), so {@code Provenance?entity=QuestionnaireResponse/…} finds the
 * activity that derived its current scores.
 *
 * @see <a href="https://hl7.org/fhir/uv/sdc/STU4/extraction.html#observation-based-extraction">SDC: extraction
 *     SHOULD create Provenance</a>
 */
class ScoreProvenance {

	static final String AGENT = "Alliance FHIR Server";

	private static final String PARTICIPANT_TYPES = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";
	private static final String ID_PREFIX = "scores-";
	private static final int MAX_ID_LENGTH = 64;

	private final DerivedResourceStore store;

	ScoreProvenance(DerivedResourceStore store) {
		this.store = store;
	}

	/**
	 * Records that the response's scores are now exactly {@code scores} (none: it has no Provenance any more);
	 * {@code previous} are the ids of the scores it had before, which its earlier Provenance names.
	 */
	void record(QuestionnaireResponse response, List<Observation> scores, Set<String> previous, TransactionDetails tx) {
		if (!previous.isEmpty()) {
			detach(response, previous, tx);
		}
		if (!scores.isEmpty()) {
			activity().scored.put(reference(response), scores);
		}
	}

	/** Removes the response and its scores from its Provenance, before they are deleted: it refers to them. */
	void delete(QuestionnaireResponse response, Set<String> scoreIds, TransactionDetails tx) {
		detach(response, scoreIds, tx);
	}

	private void detach(QuestionnaireResponse response, Set<String> scoreIds, TransactionDetails tx) {
		String reference = reference(response);
		Activity current = (Activity) TransactionSynchronizationManager.getResource(this);
		if (current != null) {
			current.scored.remove(reference);
		}
		SearchParameterMap naming =
				SearchParameterMap.newSynchronous().add(Provenance.SP_ENTITY, new ReferenceParam(reference));
		for (Provenance provenance : store.search(Provenance.class, naming)) {
			provenance.getEntity().removeIf(e -> reference.equals(e.getWhat().getReference()));
			provenance
					.getTarget()
					.removeIf(t -> scoreIds.contains(t.getReferenceElement().getIdPart()));
			if (provenance.getEntity().isEmpty() || provenance.getTarget().isEmpty()) {
				store.delete(provenance, tx);
			} else {
				store.update(provenance, tx);
			}
		}
	}

	private Activity activity() {
		Activity activity = (Activity) TransactionSynchronizationManager.getResource(this);
		if (activity == null) {
			activity = new Activity();
			TransactionSynchronizationManager.bindResource(this, activity);
			TransactionSynchronizationManager.registerSynchronization(activity);
		}
		return activity;
	}

	private static String reference(QuestionnaireResponse response) {
		return ObservationTemplate.responseReference(response);
	}

	/** {@code Provenance/scores-<id of the activity's first response>}, hashed where that would be too long. */
	private static IdType id(String firstResponse) {
		String responseId = new IdType(firstResponse).getIdPart();
		if (ID_PREFIX.length() + responseId.length() <= MAX_ID_LENGTH) {
			return new IdType("Provenance", ID_PREFIX + responseId);
		}
		return new IdType("Provenance", HashedIds.of(ID_PREFIX, responseId, MAX_ID_LENGTH - ID_PREFIX.length()));
	}

	/** The responses one transaction scored, written as one Provenance just before it commits. */
	private final class Activity implements TransactionSynchronization {
		private final Map<String, List<Observation>> scored = new LinkedHashMap<>();

		@Override
		public void beforeCommit(boolean readOnly) {
			if (scored.isEmpty()) {
				return;
			}
			Provenance provenance = new Provenance();
			provenance.setId(id(scored.keySet().iterator().next()));
			scored.values().stream()
					.flatMap(List::stream)
					.forEach(score -> provenance.addTarget(
							new Reference(score.getIdElement().toUnqualifiedVersionless())));
			provenance.setRecorded(new Date());
			scored.keySet().forEach(response -> provenance
					.addEntity()
					.setRole(ProvenanceEntityRole.SOURCE)
					.setWhat(new Reference(response)));
			provenance.addAgent().getWho().setDisplay(AGENT);
			provenance
					.getAgentFirstRep()
					.getType()
					.addCoding()
					.setSystem(PARTICIPANT_TYPES)
					.setCode("assembler");
			store.update(provenance, new TransactionDetails());
		}

		@Override
		public void afterCompletion(int status) {
			TransactionSynchronizationManager.unbindResourceIfPossible(ScoreProvenance.this);
		}
	}
}
