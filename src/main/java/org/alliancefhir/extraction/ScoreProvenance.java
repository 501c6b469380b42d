package org.alliancefhir.extraction;

import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import java.util.Date;
import java.util.List;
import org.alliancefhir.storage.DerivedResourceStore;
import org.alliancefhir.storage.HashedIds;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Provenance.ProvenanceEntityRole;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;

/**
 * Keeps one Provenance per scored response, rewritten whenever its scores change (target = the current score
 * Observations, entity = the response as source, agent = this server as assembler, recorded = now).
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

	/** Records that the response's scores are now exactly {@code scores}; none deletes the Provenance. */
	void record(QuestionnaireResponse response, List<Observation> scores, TransactionDetails tx) {
		if (scores.isEmpty()) {
			delete(response, tx);
			return;
		}
		Provenance provenance = new Provenance();
		provenance.setId(id(response));
		scores.forEach(
				score -> provenance.addTarget(new Reference(score.getIdElement().toUnqualifiedVersionless())));
		provenance.setRecorded(new Date());
		provenance
				.addEntity()
				.setRole(ProvenanceEntityRole.SOURCE)
				.setWhat(new Reference(ObservationTemplate.responseReference(response)));
		provenance.addAgent().getWho().setDisplay(AGENT);
		provenance
				.getAgentFirstRep()
				.getType()
				.addCoding()
				.setSystem(PARTICIPANT_TYPES)
				.setCode("assembler");
		store.update(provenance, tx);
	}

	/** Deletes the response's Provenance, before its scores: it refers to them. */
	void delete(QuestionnaireResponse response, TransactionDetails tx) {
		store.read(Provenance.class, id(response)).ifPresent(provenance -> store.delete(provenance, tx));
	}

	/** {@code Provenance/scores-<response id>}, or a hash of the response id where that would be too long. */
	private static IdType id(QuestionnaireResponse response) {
		String responseId = response.getIdElement().getIdPart();
		if (ID_PREFIX.length() + responseId.length() <= MAX_ID_LENGTH) {
			return new IdType("Provenance", ID_PREFIX + responseId);
		}
		return new IdType("Provenance", HashedIds.of(ID_PREFIX, responseId, MAX_ID_LENGTH - ID_PREFIX.length()));
	}
}
