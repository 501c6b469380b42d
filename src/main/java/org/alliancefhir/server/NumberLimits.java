package org.alliancefhir.server;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The limits this server puts on every number it reads, in request bodies and in search parameters alike: an
 * exponent within ±1000 and at most 1000 digits. HAPI writes decimals out in plain digits, so {@code 1e999999999}
 * asks for a billion-digit string (a search {@code value-quantity=1e999999999} held a worker thread for a minute and
 * ended in an OutOfMemoryError); Jackson already stops JSON numbers at 1000 digits.
 */
final class NumberLimits {

	static final int MAX_EXPONENT = 1000;
	static final int MAX_DIGITS = 1000;

	/** A number as FHIR JSON, XML and search values write it, with an optional exponent. */
	private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d*)(?:\\.(\\d*))?(?:[eE]([+-]?\\d+))?");

	private static final int QUOTED_LENGTH = 40;

	private NumberLimits() {}

	/** Whether the text is a number at all (digits, an optional fraction and exponent). */
	static boolean isNumber(String text) {
		return number(text) != null;
	}

	/** Why the number lies beyond the limits, or {@code null} when it is within them or is not a number. */
	static String excess(String text) {
		Matcher number = number(text);
		if (number == null) {
			return null;
		}
		int digits = number.group(1).length() + nullToEmpty(number.group(2)).length();
		if (digits > MAX_DIGITS) {
			return "The number " + quoted(text) + " has " + digits + " digits; this server accepts at most "
					+ MAX_DIGITS;
		}
		if (number.group(3) != null && !exponentWithinLimit(number.group(3))) {
			return "The number " + quoted(text) + " has an exponent beyond ±" + MAX_EXPONENT
					+ "; this server does not accept it";
		}
		return null;
	}

	/** The match of a number with at least one digit, or {@code null}. */
	private static Matcher number(String text) {
		Matcher number = NUMBER.matcher(text);
		boolean digits = number.matches() && !(number.group(1) + nullToEmpty(number.group(2))).isEmpty();
		return digits ? number : null;
	}

	private static boolean exponentWithinLimit(String exponent) {
		String digits = exponent.replaceFirst("^[+-]", "").replaceFirst("^0+(?=\\d)", "");
		return digits.length() <= 4 && Integer.parseInt(digits) <= MAX_EXPONENT;
	}

	private static String quoted(String text) {
		return text.length() <= QUOTED_LENGTH ? text : text.substring(0, QUOTED_LENGTH) + "…";
	}

	private static String nullToEmpty(String text) {
		return text == null ? "" : text;
	}
}
