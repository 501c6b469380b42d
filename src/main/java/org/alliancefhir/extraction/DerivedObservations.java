package org.alliancefhir.extraction;

import org.alliancefhir.storage.SameContent;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;

/** Compares a stored derived Observation with a freshly built one, ignoring what changes on every write. */
final class DerivedObservations {

	private DerivedObservations() {}

	/** Whether the stored Observation is current and already says what the fresh one says. */
	static boolean sameScore(Observation stored, Observation fresh) {
		boolean current =
				stored.getStatus() == ObservationStatus.FINAL || stored.getStatus() == ObservationStatus.AMENDED;
		return current
				&& SameContent.ignoring(
						stored, fresh, o -> o.setIssuedElement(null), o -> o.setStatus(null), o -> o.setText(null));
	}
}
