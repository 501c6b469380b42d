package org.alliancefhir.extraction;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.alliancefhir.storage.DerivedResourceStore;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Provenance.ProvenanceEntityRole;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.core.Ordered;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * One Provenance per scoring activity: a database transaction that derived scores (a POST or PUT of a response, or a
 * transaction Bundle of many) gets one Provenance, created just before it commits, with the score Observations it
 * created or changed as {@code target}, the responses they were derived from as {@code entity} (role source), this
 * server as agent (assembler) and {@code recorded} = now. A later re-scoring is a new activity with a Provenance of
 * its own; earlier ones stay as the record of what happened then. Deleting a response, or scores no longer computed,
 * removes them from the Provenances that name them (a Provenance left with no target or no response is deleted).
 *
 * @see <a href="https://hl7.org/fhir/uv/sdc/STU4/extraction.html#observation-based-extraction">SDC: extraction
 *     SHOULD create Provenance</a>
 */
class ScoreProvenance {

	static final String AGENT = "Alliance FHIR Server";

	private static final String PARTICIPANT_TYPES = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";

	private final DerivedResourceStore store;

	ScoreProvenance(DerivedResourceStore store) {
		this.store = store;
	}

	/** Adds the scores this transaction derived from the response to the transaction's activity. */
	void record(QuestionnaireResponse response, List<Observation> derived, TransactionDetails tx) {
		if (!derived.isEmpty()) {
			activity(tx)
					.derived
					.computeIfAbsent(reference(response), r -> new ArrayList<>())
					.addAll(derived);
		}
	}

	/** Removes the response and its scores from every Provenance that names them, before they are deleted. */
	void forgetResponse(QuestionnaireResponse response, Collection<Observation> scores, TransactionDetails tx) {
		String reference = reference(response);
		Activity current = (Activity) TransactionSynchronizationManager.getResource(this);
		if (current != null) {
			current.derived.remove(reference);
		}
		SearchParameterMap naming =
				SearchParameterMap.newSynchronous().add(Provenance.SP_ENTITY, new ReferenceParam(reference));
		remove(store.search(Provenance.class, naming), reference, ids(scores), tx);
	}

	/** Removes scores no longer computed from the Provenances that target them, before they are deleted. */
	void forgetScores(Collection<Observation> scores, TransactionDetails tx) {
		if (scores.isEmpty()) {
			return;
		}
		ReferenceOrListParam targets = new ReferenceOrListParam();
		scores.forEach(score -> targets.addOr(new ReferenceParam(
				score.getIdElement().toUnqualifiedVersionless().getValue())));
		SearchParameterMap targeting = SearchParameterMap.newSynchronous().add(Provenance.SP_TARGET, targets);
		remove(store.search(Provenance.class, targeting), null, ids(scores), tx);
	}

	private void remove(List<Provenance> provenances, String response, Set<String> scoreIds, TransactionDetails tx) {
		for (Provenance provenance : provenances) {
			if (response != null) {
				provenance.getEntity().removeIf(e -> response.equals(e.getWhat().getReference()));
			}
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

	private Activity activity(TransactionDetails tx) {
		Activity activity = (Activity) TransactionSynchronizationManager.getResource(this);
		if (activity == null) {
			activity = new Activity(tx);
			TransactionSynchronizationManager.bindResource(this, activity);
			TransactionSynchronizationManager.registerSynchronization(activity);
		}
		return activity;
	}

	private static Set<String> ids(Collection<Observation> scores) {
		return scores.stream().map(s -> s.getIdElement().getIdPart()).collect(Collectors.toSet());
	}

	private static String reference(QuestionnaireResponse response) {
		return ObservationTemplate.responseReference(response);
	}

	/**
	 * The scores one transaction derived, per response, written as one Provenance just before it commits, ahead of
	 * the rest of the transaction's commit work (the outbox rows), which may then see it.
	 */
	private final class Activity implements TransactionSynchronization {
		private final TransactionDetails transaction;
		private final Map<String, List<Observation>> derived = new LinkedHashMap<>();

		Activity(TransactionDetails transaction) {
			this.transaction = transaction;
		}

		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

		@Override
		public void beforeCommit(boolean readOnly) {
			if (derived.isEmpty()) {
				return;
			}
			Provenance provenance = new Provenance();
			derived.values().stream()
					.flatMap(List::stream)
					.map(score ->
							score.getIdElement().toUnqualifiedVersionless().getValue())
					.distinct()
					.forEach(score -> provenance.addTarget(new Reference(score)));
			provenance.setRecorded(new Date());
			derived.keySet().forEach(response -> provenance
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
			store.create(provenance, transaction);
		}

		@Override
		public void afterCompletion(int status) {
			TransactionSynchronizationManager.unbindResourceIfPossible(ScoreProvenance.this);
		}
	}
}
