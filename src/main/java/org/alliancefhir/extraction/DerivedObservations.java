package org.alliancefhir.extraction;

import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;

/** Compares a stored derived Observation with a freshly built one, ignoring what changes on every write. */
final class DerivedObservations {

	private DerivedObservations() {}

	/** Whether the stored Observation is current and already says what the fresh one says. */
	static boolean sameScore(Observation stored, Observation fresh) {
		boolean current =
				stored.getStatus() == ObservationStatus.FINAL || stored.getStatus() == ObservationStatus.AMENDED;
		return current && comparable(stored).equalsDeep(comparable(fresh));
	}

	private static Observation comparable(Observation observation) {
		Observation copy = observation.copy();
		copy.setId((String) null);
		copy.setMeta(null);
		copy.setIssuedElement(null);
		copy.setStatus(null);
		copy.setText(null);
		return copy;
	}
}
