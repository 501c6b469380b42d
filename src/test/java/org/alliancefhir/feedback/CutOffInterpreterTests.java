package org.alliancefhir.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hl7.fhir.r4.model.ObservationDefinition;
import org.junit.jupiter.api.Test;

/** Scores are interpreted against the shipped ObservationDefinitions exactly at their boundaries. */
class CutOffInterpreterTests {

	private final CutOffInterpreter interpreter = new CutOffInterpreter();

	@Test
	void srsExactly36IsNormalAnd35Point9IsLow() throws Exception {
		ObservationDefinition srs = definition("srs-total");

		assertThat(code(srs, "36.0", null)).isEqualTo("N");
		assertThat(code(srs, "35.9", null)).isEqualTo("L");
		assertThat(code(srs, "40.0", null)).isEqualTo("N");
	}

	@Test
	void orsUsesTheCutOffOfTheClientsAge() throws Exception {
		ObservationDefinition ors = definition("ors-total");

		assertThat(code(ors, "26.0", 18)).isEqualTo("N");
		assertThat(code(ors, "26.0", 17)).isEqualTo("L");
		assertThat(code(ors, "28.0", 13)).isEqualTo("N");
		assertThat(interpreter.interpret(ors, new BigDecimal("20"), null, "client"))
				.isEmpty();
		assertThat(interpreter.interpret(ors, new BigDecimal("20"), 12, "client"))
				.as("no adolescent or adult cut-off at 12")
				.isEmpty();
	}

	@Test
	void aSelfReportCutOffIsNotForAParentsRatingButAnUnrestrictedOneIs() throws Exception {
		ObservationDefinition ors = definition("ors-total");

		assertThat(interpreter.interpret(ors, new BigDecimal("20"), 30, "parent"))
				.isEmpty();
		assertThat(interpreter.interpret(definition("cors-total"), new BigDecimal("20"), 9, "parent"))
				.isEmpty();
		assertThat(interpreter.interpret(ors, new BigDecimal("20"), 30, null)).isEmpty();
		assertThat(interpreter.withheldFromRater(ors, "parent")).isTrue();
		assertThat(interpreter.withheldFromRater(ors, "client")).isFalse();
		// the SRS cut-off names no rater: a parent rates their own alliance with it
		assertThat(code(definition("srs-total"), "30", null, "parent")).isEqualTo("L");
		assertThat(interpreter.withheldFromRater(definition("srs-total"), "parent"))
				.isFalse();
	}

	@Test
	void instrumentsWithoutPublishedCutOffsGetNoInterpretation() throws Exception {
		assertThat(interpreter.interpret(definition("wav-12-client-total"), new BigDecimal("20"), 30, "client"))
				.isEmpty();
	}

	@Test
	void theReferenceRangeCarriesTheIntervalAndItsMeaning() throws Exception {
		CutOff cutOff = interpreter
				.interpret(definition("cors-total"), new BigDecimal("31.9"), 9, "client")
				.orElseThrow();

		assertThat(cutOff.referenceRange().getLow().getValue()).isEqualByComparingTo("32");
		assertThat(cutOff.referenceRange().getAge().getLow().getValue()).isEqualByComparingTo("6");
		assertThat(cutOff.referenceRange().getText()).isNotBlank();
		assertThat(cutOff.interpretation().getCodingFirstRep().getCode()).isEqualTo("L");
	}

	private String code(ObservationDefinition definition, String value, Integer age) {
		return code(definition, value, age, "client");
	}

	private String code(ObservationDefinition definition, String value, Integer age, String rater) {
		return interpreter
				.interpret(definition, new BigDecimal(value), age, rater)
				.orElseThrow()
				.interpretation()
				.getCodingFirstRep()
				.getCode();
	}

	private static ObservationDefinition definition(String code) throws Exception {
		return FhirContext.forR4Cached()
				.newJsonParser()
				.parseResource(
						ObservationDefinition.class,
						Files.readString(Path.of("profiles/ObservationDefinition-" + code + ".json")));
	}
}
