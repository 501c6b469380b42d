package org.alliancefhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** FHIR strings allow tab, CR, LF and any well-formed Unicode, nothing else below U+0020 and no lone surrogate. */
class FhirStringsTests {

	@ParameterizedTest
	@ValueSource(strings = {"", "plain", "tab\tCR\rLF\n", "emoji 😀", "RTL \u202E override", "\uD840\uDC0E", "é"})
	void acceptsWhatFhirStringsMayContain(String value) {
		assertThat(FhirStrings.firstInvalidCharacter(value)).isNull();
	}

	static Stream<Arguments> invalid() {
		return Stream.of(
				Arguments.of("a\u0000b", "U+0000"),
				Arguments.of("bell\u0007", "U+0007"),
				Arguments.of("x\u001F", "U+001F"),
				Arguments.of("\uD800", "U+D800"),
				Arguments.of("a\uD800b", "U+D800"),
				Arguments.of("\uDC00a", "U+DC00"),
				Arguments.of("\uDE00\uD83D", "U+DE00"));
	}

	@ParameterizedTest
	@MethodSource("invalid")
	void namesTheFirstCharacterFhirStringsMustNotContain(String value, String expected) {
		assertThat(FhirStrings.firstInvalidCharacter(value)).isEqualTo(expected);
	}
}
