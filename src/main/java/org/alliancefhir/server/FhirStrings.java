package org.alliancefhir.server;

/**
 * The characters FHIR allows in a string: no code point below U+0020 except tab, carriage return and line feed, and
 * only well-formed UTF-16 (a lone surrogate cannot be stored as UTF-8; PostgreSQL rejects NUL outright).
 *
 * @see <a href="https://hl7.org/fhir/R4/datatypes.html#string">FHIR R4 string</a>
 */
final class FhirStrings {

	private FhirStrings() {}

	/** The first character FHIR does not allow, as {@code U+XXXX}, or {@code null} when there is none. */
	static String firstInvalidCharacter(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			boolean control = c < 0x20 && c != '\t' && c != '\r' && c != '\n';
			boolean loneHigh = Character.isHighSurrogate(c)
					&& (i + 1 == value.length() || !Character.isLowSurrogate(value.charAt(i + 1)));
			boolean loneLow =
					Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(value.charAt(i - 1)));
			if (control || loneHigh || loneLow) {
				return String.format("U+%04X", (int) c);
			}
		}
		return null;
	}
}
