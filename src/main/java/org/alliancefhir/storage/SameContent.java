package org.alliancefhir.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.Resource;

/**
 * Compares two versions of a resource on what they say, ignoring the bookkeeping the store adds ({@code id},
 * {@code meta}) and whatever else the caller names, so a write that would change nothing can be skipped.
 */
public final class SameContent {

	private SameContent() {}

	@SafeVarargs
	public static <T extends Resource> boolean ignoring(T stored, T fresh, Consumer<T>... alsoIgnored) {
		return comparable(stored, alsoIgnored).equalsDeep(comparable(fresh, alsoIgnored));
	}

	/**
	 * Whether a stored derived Observation is current ({@code final} or {@code amended}) and already says what the
	 * fresh one says, so writing the fresh one would change nothing: the one test of every derived Observation write.
	 */
	@SafeVarargs
	public static boolean currentAndSame(Observation stored, Observation fresh, Consumer<Observation>... alsoIgnored) {
		boolean current =
				stored.getStatus() == ObservationStatus.FINAL || stored.getStatus() == ObservationStatus.AMENDED;
		List<Consumer<Observation>> ignored = new ArrayList<>(List.of(alsoIgnored));
		ignored.add(o -> o.setStatus(null));
		@SuppressWarnings("unchecked")
		Consumer<Observation>[] all = ignored.toArray(Consumer[]::new);
		return current && ignoring(stored, fresh, all);
	}

	@SafeVarargs
	@SuppressWarnings("unchecked")
	private static <T extends Resource> T comparable(T resource, Consumer<T>... alsoIgnored) {
		T copy = (T) resource.copy();
		copy.setId((String) null);
		copy.setMeta(null);
		for (Consumer<T> ignore : alsoIgnored) {
			ignore.accept(copy);
		}
		return copy;
	}
}
