package org.alliancefhir.feedback;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.alliancefhir.content.RespondentPerspective;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation.ObservationReferenceRangeComponent;
import org.hl7.fhir.r4.model.ObservationDefinition;
import org.hl7.fhir.r4.model.ObservationDefinition.ObservationDefinitionQualifiedIntervalComponent;
import org.hl7.fhir.r4.model.ObservationDefinition.ObservationRangeCategory;
import org.hl7.fhir.r4.model.Range;

/**
 * Interprets a score by the first {@code reference} interval of its ObservationDefinition that applies to the
 * subject's age and the rater's respondent perspective: inside N, below L, above H. Intervals restricted to an age
 * are skipped when the age is unknown; intervals whose {@code appliesTo} names respondent perspectives (a self-report
 * cut-off names {@code client}) are skipped for any other rater; a definition without reference intervals (no
 * published cut-off) gives no interpretation.
 *
 * @see <a href="https://hl7.org/fhir/R4/observationdefinition.html">ObservationDefinition</a>
 */
public final class CutOffInterpreter {

	static final String INTERPRETATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";

	/**
	 * @param ageInYears completed years at the time of the score, or {@code null} when unknown
	 * @param perspective the rater's respondent perspective, or {@code null} when unknown
	 */
	public Optional<CutOff> interpret(
			ObservationDefinition definition, BigDecimal value, Integer ageInYears, String perspective) {
		return definition.getQualifiedInterval().stream()
				.filter(i -> i.getCategory() == ObservationRangeCategory.REFERENCE && i.hasRange())
				.filter(i -> appliesToAge(i, ageInYears))
				.filter(i -> appliesToRater(i, perspective))
				.findFirst()
				.map(i -> new CutOff(referenceRange(i), interpretation(i.getRange(), value)));
	}

	/** Whether the definition has a cut-off for some rater but none for this one (e.g. a parent's rating). */
	public boolean withheldFromRater(ObservationDefinition definition, String perspective) {
		return definition.getQualifiedInterval().stream()
				.filter(i -> i.getCategory() == ObservationRangeCategory.REFERENCE && i.hasRange())
				.anyMatch(i -> !appliesToRater(i, perspective));
	}

	private static boolean appliesToRater(
			ObservationDefinitionQualifiedIntervalComponent interval, String perspective) {
		List<String> raters = interval.getAppliesTo().stream()
				.flatMap(c -> c.getCoding().stream())
				.filter(c -> RespondentPerspective.SYSTEM.equals(c.getSystem()))
				.map(Coding::getCode)
				.toList();
		return raters.isEmpty() || raters.contains(perspective);
	}

	private static boolean appliesToAge(ObservationDefinitionQualifiedIntervalComponent interval, Integer age) {
		if (!interval.hasAge()) {
			return true;
		}
		if (age == null) {
			return false;
		}
		Range range = interval.getAge();
		boolean aboveLow = !range.hasLow() || range.getLow().getValue().compareTo(BigDecimal.valueOf(age)) <= 0;
		boolean belowHigh = !range.hasHigh() || range.getHigh().getValue().compareTo(BigDecimal.valueOf(age)) >= 0;
		return aboveLow && belowHigh;
	}

	private static CodeableConcept interpretation(Range range, BigDecimal value) {
		if (range.hasLow() && value.compareTo(range.getLow().getValue()) < 0) {
			return concept("L", "Low", "Onder de grenswaarde");
		}
		if (range.hasHigh() && value.compareTo(range.getHigh().getValue()) > 0) {
			return concept("H", "High", "Boven de grenswaarde");
		}
		return concept("N", "Normal", "Binnen de referentiewaarden");
	}

	private static CodeableConcept concept(String code, String display, String dutchText) {
		CodeableConcept concept = new CodeableConcept().setText(dutchText);
		concept.addCoding().setSystem(INTERPRETATION_SYSTEM).setCode(code).setDisplay(display);
		return concept;
	}

	private static ObservationReferenceRangeComponent referenceRange(
			ObservationDefinitionQualifiedIntervalComponent interval) {
		ObservationReferenceRangeComponent range = new ObservationReferenceRangeComponent();
		if (interval.getRange().hasLow()) {
			range.setLow(interval.getRange().getLow().copy());
		}
		if (interval.getRange().hasHigh()) {
			range.setHigh(interval.getRange().getHigh().copy());
		}
		if (interval.hasContext()) {
			range.setType(interval.getContext().copy());
		}
		if (interval.hasAge()) {
			range.setAge(interval.getAge().copy());
		}
		if (interval.hasCondition()) {
			range.setText(interval.getCondition());
		}
		return range;
	}
}
