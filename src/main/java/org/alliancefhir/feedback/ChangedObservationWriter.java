package org.alliancefhir.feedback;

import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import java.util.Optional;
import org.alliancefhir.storage.DerivedResourceStore;
import org.alliancefhir.storage.SameContent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;

/**
 * Writes a derived comparison or split Observation only when it says something new: created {@code final},
 * updated {@code amended}, left alone (no new version) when the stored one is current and equal.
 */
class ChangedObservationWriter {

	private final DerivedResourceStore store;

	ChangedObservationWriter(DerivedResourceStore store) {
		this.store = store;
	}

	void write(Observation fresh, Identifier identifier, TransactionDetails tx) {
		Optional<Observation> stored = stored(identifier);
		if (stored.isPresent() && SameContent.currentAndSame(stored.get(), fresh)) {
			return;
		}
		stored.ifPresent(s -> fresh.setStatus(ObservationStatus.AMENDED));
		fresh.setId(id(identifier));
		store.put(fresh, tx);
	}

	Optional<Observation> stored(Identifier identifier) {
		return store.read(Observation.class, id(identifier));
	}

	void deleteIfStored(Identifier identifier, TransactionDetails tx) {
		stored(identifier).ifPresent(stale -> store.delete(stale, tx));
	}

	/** The id of the Observation the identifier names. */
	static IdType id(Identifier identifier) {
		return FeedbackIdentifiers.id("Observation", identifier);
	}
}
