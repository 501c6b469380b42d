package org.alliancefhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Numbers within ±1000 of exponent and 1000 digits pass; beyond them they are refused; non-numbers are left alone. */
class NumberLimitsTests {

	@ParameterizedTest
	@ValueSource(strings = {"7.5", "-1", "0.5e10", "1e1000", "1E-1000", ".5", "5.", "1e+0999"})
	void acceptsNumbersWithinTheLimits(String number) {
		assertThat(NumberLimits.isNumber(number)).isTrue();
		assertThat(NumberLimits.excess(number)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = {"1e1001", "1e-1001", "1e999999999", "-2.5E+99999999999999999999"})
	void refusesExponentsBeyondAThousand(String number) {
		assertThat(NumberLimits.excess(number)).contains("exponent beyond ±1000");
	}

	@ParameterizedTest
	@ValueSource(strings = {"abc", "", "e5", ".", "1e", "12|x"})
	void letsTextThatIsNoNumberPassForHapiToJudge(String text) {
		assertThat(NumberLimits.isNumber(text)).isFalse();
		assertThat(NumberLimits.excess(text)).isNull();
	}

	@Test
	void quotesAtMostFortyCharactersOfTheNumber() {
		assertThat(NumberLimits.excess("1".repeat(1001))).hasSizeLessThan(120).contains("1001 digits");
	}
}
