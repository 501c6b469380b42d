package org.alliancefhir.feedback;

import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Observation;

/**
 * What happened to some score Observations, for the feedback rules: scores now current (new, amended or unchanged),
 * scores withdrawn but kept (entered-in-error, cancelled) and scores about to be deleted.
 */
public record ScoreChanges(List<Observation> current, List<Observation> withdrawn, List<Observation> deleting) {

	public ScoreChanges {
		current = List.copyOf(current);
		withdrawn = List.copyOf(withdrawn);
		deleting = List.copyOf(deleting);
	}

	/** Scores about to be deleted: their alerts and comparisons go first, their series is re-evaluated without them. */
	public static ScoreChanges deleting(List<Observation> scores) {
		return new ScoreChanges(List.of(), List.of(), scores);
	}

	/** Stored scores as they are now: current ones count, withdrawn ones take their alerts and comparisons along. */
	public static ScoreChanges asStored(List<Observation> scores) {
		return new ScoreChanges(
				scores.stream().filter(ScoreValues::isCurrent).toList(),
				scores.stream().filter(s -> !ScoreValues.isCurrent(s)).toList(),
				List.of());
	}

	boolean isEmpty() {
		return current.isEmpty() && withdrawn.isEmpty() && deleting.isEmpty();
	}

	Stream<Observation> all() {
		return Stream.of(current, withdrawn, deleting).flatMap(List::stream);
	}
}
