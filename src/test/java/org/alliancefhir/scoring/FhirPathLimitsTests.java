package org.alliancefhir.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import ca.uhn.fhir.context.FhirContext;
import java.util.Collections;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Pathological FHIRPath is refused before and after parsing, naming the bound; the shipped kind of rule passes. */
class FhirPathLimitsTests {

	private final FHIRPathEngine fhirPath = FhirPathEngines.create(FhirContext.forR4Cached(), new SdcFunctions());

	@Test
	void refuses20000NestedParenthesesWithoutParsingThem() {
		String deep = "(".repeat(20_000) + "1" + ")".repeat(20_000);

		assertThatExceptionOfType(FhirPathLimitException.class)
				.isThrownBy(() -> FhirPathLimits.parse(fhirPath, deep.substring(0, 1000) + "1" + deep.substring(0, 0)))
				.withMessage("nests brackets more than 32 deep");
		assertThatExceptionOfType(FhirPathLimitException.class)
				.isThrownBy(() -> FhirPathLimits.parse(fhirPath, deep))
				.withMessage("is 40001 characters long; at most 2000 are allowed");
	}

	@Test
	void refusesEightNestedReplaces() {
		String expression = "'aaaaaaaaaa'" + ".replace('a', 'aaaaaaaaaa')".repeat(8) + ".length()";

		assertThatExceptionOfType(FhirPathLimitException.class)
				.isThrownBy(() -> FhirPathLimits.parse(fhirPath, expression))
				.withMessage("uses replace(), whose cost this server does not bound");
	}

	@ParameterizedTest
	@ValueSource(
			strings = {"'x'.matches('(a+)+$')", "'x'.replaceMatches('a', 'b')", "(1 | 2).aggregate($this + $total, 0)"})
	void refusesRegularExpressionsAndAggregates(String expression) {
		assertThatExceptionOfType(FhirPathLimitException.class)
				.isThrownBy(() -> FhirPathLimits.parse(fhirPath, expression))
				.withMessageEndingWith("whose cost this server does not bound");
	}

	@Test
	void refusesADeepChainAndTooManyParts() {
		assertThatExceptionOfType(FhirPathLimitException.class)
				.isThrownBy(() -> FhirPathLimits.parse(fhirPath, "item" + ".item".repeat(100)))
				.withMessageContaining("levels deep; at most 64 are allowed");
		assertThatExceptionOfType(FhirPathLimitException.class)
				.isThrownBy(() -> FhirPathLimits.parse(fhirPath, manyParts()))
				.withMessageContaining("at most 400 are allowed");
	}

	/** 14 groups of 30 ones, joined by unions: 434 parts, in few levels. */
	private static String manyParts() {
		String group = "(" + String.join("|", Collections.nCopies(30, "1")) + ")";
		return String.join("|", Collections.nCopies(14, group));
	}

	@Test
	void refusesWhatDoesNotParse() {
		assertThatExceptionOfType(FhirPathLimitException.class)
				.isThrownBy(() -> FhirPathLimits.parse(fhirPath, "%a.sum(, {})"))
				.withMessageStartingWith("does not parse: ");
	}

	@Test
	void ignoresBracketsInsideStrings() {
		assertThat(FhirPathLimits.nesting("'((((' + \"[[[\" + `{{`.x")).isZero();
		assertThat(FhirPathLimits.nesting("iif((a), (b), ((c)))")).isEqualTo(3);
	}

	@Test
	void acceptsAScoreRuleOfTheShippedKind() {
		String rule =
				"iif(%resource.repeat(item).where(linkId in ('q1' | 'q2' | 'q3')).answer.value.weight().count() >= 2,"
						+ " (%resource.repeat(item).where(linkId in ('q1' | 'q2' | 'q3')).answer.value.weight().sum() * 10).round(1), {})";

		assertThat(FhirPathLimits.parse(fhirPath, rule)).isNotNull();
	}
}
