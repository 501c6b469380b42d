package org.alliancefhir.extraction;

import java.util.Optional;
import java.util.function.Supplier;
import org.alliancefhir.content.ObservationDefinitionCatalog;
import org.alliancefhir.feedback.CutOff;
import org.alliancefhir.feedback.CutOffInterpreter;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationComponentComponent;
import org.hl7.fhir.r4.model.ObservationDefinition;
import org.hl7.fhir.r4.model.Quantity;

/**
 * Adds {@code interpretation} and {@code referenceRange} to a score Observation and its components from the
 * ObservationDefinition of each score code, for the subject's age at the time of the response.
 */
class ScoreInterpretation {

	private final ObservationDefinitionCatalog definitions;
	private final CutOffInterpreter interpreter = new CutOffInterpreter();

	ScoreInterpretation(ObservationDefinitionCatalog definitions) {
		this.definitions = definitions;
	}

	/**
	 * @param ageInYears the subject's age in completed years, asked only when a definition depends on age
	 */
	void apply(Observation observation, Supplier<Integer> ageInYears) {
		if (observation.getValue() instanceof Quantity quantity) {
			interpret(observation.getCode(), quantity, ageInYears).ifPresent(cutOff -> {
				observation.addInterpretation(cutOff.interpretation());
				observation.addReferenceRange(cutOff.referenceRange());
			});
		}
		for (ObservationComponentComponent component : observation.getComponent()) {
			if (component.getValue() instanceof Quantity quantity) {
				interpret(component.getCode(), quantity, ageInYears).ifPresent(cutOff -> {
					component.addInterpretation(cutOff.interpretation());
					component.addReferenceRange(cutOff.referenceRange());
				});
			}
		}
	}

	private Optional<CutOff> interpret(CodeableConcept code, Quantity value, Supplier<Integer> ageInYears) {
		return code.getCoding().stream()
				.map(definitions::find)
				.flatMap(Optional::stream)
				.findFirst()
				.flatMap(definition -> interpreter.interpret(
						definition, value.getValue(), needsAge(definition) ? ageInYears.get() : null));
	}

	private static boolean needsAge(ObservationDefinition definition) {
		return definition.getQualifiedInterval().stream()
				.anyMatch(ObservationDefinition.ObservationDefinitionQualifiedIntervalComponent::hasAge);
	}
}
