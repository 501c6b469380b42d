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
 * ObservationDefinition of each score code, for the subject's age at the time of the response and the rater's
 * respondent perspective.
 */
class ScoreInterpretation {

	private final ObservationDefinitionCatalog definitions;
	private final CutOffInterpreter interpreter = new CutOffInterpreter();

	ScoreInterpretation(ObservationDefinitionCatalog definitions) {
		this.definitions = definitions;
	}

	/**
	 * @param ageInYears the subject's age in completed years, asked only when a definition depends on age
	 * @param perspective the rater's respondent perspective, or {@code null} when unknown
	 */
	void apply(Observation observation, Supplier<Integer> ageInYears, String perspective) {
		if (observation.getValue() instanceof Quantity quantity) {
			interpret(observation.getCode(), quantity, ageInYears, perspective).ifPresent(cutOff -> {
				observation.addInterpretation(cutOff.interpretation());
				observation.addReferenceRange(cutOff.referenceRange());
			});
		}
		for (ObservationComponentComponent component : observation.getComponent()) {
			if (component.getValue() instanceof Quantity quantity) {
				interpret(component.getCode(), quantity, ageInYears, perspective)
						.ifPresent(cutOff -> {
							component.addInterpretation(cutOff.interpretation());
							component.addReferenceRange(cutOff.referenceRange());
						});
			}
		}
	}

	/**
	 * Whether a cut-off of the score or one of its parts was withheld because it is not for this rater (e.g. a
	 * self-report cut-off for a parent's rating).
	 *
	 * @param perspective the rater's respondent perspective, or {@code null} when unknown
	 */
	boolean withheld(Observation observation, String perspective) {
		boolean withheld = observation.getValue() instanceof Quantity && withheld(observation.getCode(), perspective);
		for (ObservationComponentComponent component : observation.getComponent()) {
			withheld |= component.getValue() instanceof Quantity && withheld(component.getCode(), perspective);
		}
		return withheld;
	}

	private Optional<CutOff> interpret(
			CodeableConcept code, Quantity value, Supplier<Integer> ageInYears, String perspective) {
		return definition(code)
				.flatMap(definition -> interpreter.interpret(
						definition, value.getValue(), needsAge(definition) ? ageInYears.get() : null, perspective));
	}

	private boolean withheld(CodeableConcept code, String perspective) {
		return definition(code)
				.filter(d -> interpreter.withheldFromRater(d, perspective))
				.isPresent();
	}

	private Optional<ObservationDefinition> definition(CodeableConcept code) {
		return code.getCoding().stream()
				.map(definitions::find)
				.flatMap(Optional::stream)
				.findFirst();
	}

	private static boolean needsAge(ObservationDefinition definition) {
		return definition.getQualifiedInterval().stream()
				.anyMatch(ObservationDefinition.ObservationDefinitionQualifiedIntervalComponent::hasAge);
	}
}
