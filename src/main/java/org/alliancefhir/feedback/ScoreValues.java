package org.alliancefhir.feedback;

import java.math.BigDecimal;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationComponentComponent;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.Quantity;

/**
 * Reads what the rules need from a score Observation: the value of a score code (the Observation's own value, or a
 * component's), whose score it is (the rated member, else the respondent) and which session it belongs to.
 */
final class ScoreValues {

	private ScoreValues() {}

	/** The value of the score code in the Observation, from its value or from the component with that code. */
	static Optional<BigDecimal> value(Observation observation, Coding code) {
		if (has(observation.getCode(), code) && observation.getValue() instanceof Quantity quantity) {
			return Optional.ofNullable(quantity.getValue());
		}
		for (ObservationComponentComponent component : observation.getComponent()) {
			if (has(component.getCode(), code) && component.getValue() instanceof Quantity quantity) {
				return Optional.ofNullable(quantity.getValue());
			}
		}
		return Optional.empty();
	}

	/** The interpretation code (N, L, H) given with the score code, or empty. */
	static Optional<String> interpretation(Observation observation, Coding code) {
		if (has(observation.getCode(), code)) {
			return firstCode(
					observation.getInterpretation().stream().findFirst().orElse(null));
		}
		return observation.getComponent().stream()
				.filter(c -> has(c.getCode(), code))
				.findFirst()
				.flatMap(c ->
						firstCode(c.getInterpretation().stream().findFirst().orElse(null)));
	}

	/** Whether the code is the Observation's own code (searched as {@code code}) rather than a component's. */
	static boolean isOwnCode(Observation observation, Coding code) {
		return has(observation.getCode(), code);
	}

	/** Whose alliance the score is about from which side: the rated member when there is one, else who answered. */
	static String respondent(Observation observation) {
		if (observation.hasFocus()) {
			return observation.getFocusFirstRep().getReference();
		}
		return observation.hasPerformer() ? observation.getPerformerFirstRep().getReference() : "unknown";
	}

	/** The session: the encounter when known, else the day of the score in its own time zone. */
	static String session(Observation observation) {
		if (observation.hasEncounter()) {
			return observation.getEncounter().getReference();
		}
		return observation.getEffectiveDateTimeType().getValueAsString().substring(0, 10);
	}

	static boolean isCurrent(Observation observation) {
		return observation.getStatus() == ObservationStatus.FINAL
				|| observation.getStatus() == ObservationStatus.AMENDED;
	}

	private static boolean has(CodeableConcept concept, Coding code) {
		return concept.getCoding().stream()
				.anyMatch(c ->
						code.getSystem().equals(c.getSystem()) && code.getCode().equals(c.getCode()));
	}

	private static Optional<String> firstCode(CodeableConcept concept) {
		return concept == null
				? Optional.empty()
				: Optional.ofNullable(concept.getCodingFirstRep().getCode());
	}
}
