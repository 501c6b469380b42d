package org.alliancefhir.extraction;

import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * FHIR's rules for date and dateTime values that HAPI's parser lets through and only its instance validator checks:
 * years start at 0001, and a value with a time of day carries a time zone.
 *
 * @see <a href="https://hl7.org/fhir/R4/datatypes.html#dateTime">dateTime</a>
 */
final class DateTimeRules {

	private static final Pattern TIME_ZONE = Pattern.compile("(Z|[+-]\\d{2}:\\d{2})$");

	private DateTimeRules() {}

	/** Adds a problem at {@code at} for each rule the value breaks; values HAPI could not parse are not its job. */
	static void check(BaseDateTimeType value, String at, ResponseProblems problems) {
		String text = value.getValueAsString();
		if (text == null || value.getValue() == null) {
			return;
		}
		if (text.startsWith("0000")) {
			problems.add(IssueType.INVALID, at, "Not a valid date/time: '" + text + "': years start at 0001, not 0000");
		}
		if (text.contains("T") && !TIME_ZONE.matcher(text).find()) {
			problems.add(
					IssueType.INVALID,
					at,
					"'" + text + "' has a time but no time zone: a date with a time must have one (Z or +01:00)");
		}
	}
}
