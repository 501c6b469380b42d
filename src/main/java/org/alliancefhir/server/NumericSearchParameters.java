package org.alliancefhir.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Finds the numbers in search parameter values that HAPI reads as numbers: the values of every number, quantity,
 * composite and special parameter of any resource type, also behind a chain ({@code subject.value-quantity}), a
 * reverse chain ({@code _has:Observation:subject:value-quantity}) or a modifier, each value of an OR list, each part of
 * a composite value ({@code code$lt5}), without its comparison prefix ({@code lt}, {@code ge}, {@code ap}, …) and
 * without a quantity's system and unit.
 *
 * @see <a href="https://hl7.org/fhir/R4/search.html#prefix">FHIR search prefixes</a>
 */
final class NumericSearchParameters {

	private static final Set<RestSearchParameterTypeEnum> NUMERIC = Set.of(
			RestSearchParameterTypeEnum.NUMBER,
			RestSearchParameterTypeEnum.QUANTITY,
			RestSearchParameterTypeEnum.COMPOSITE,
			RestSearchParameterTypeEnum.SPECIAL);
	private static final Pattern PREFIX = Pattern.compile("^(eq|ne|gt|lt|ge|le|sa|eb|ap)(?=[^a-z])");
	private static final Pattern UNESCAPED_OR = Pattern.compile("(?<!\\\\),");
	private static final Pattern UNESCAPED_COMPOSITE = Pattern.compile("(?<!\\\\)\\$");
	private static final Pattern UNESCAPED_BAR = Pattern.compile("(?<!\\\\)\\|");

	private final Set<String> numericNames;

	NumericSearchParameters(FhirContext fhirContext) {
		this.numericNames = fhirContext.getResourceTypes().stream()
				.flatMap(type -> fhirContext.getResourceDefinition(type).getSearchParams().stream())
				.filter(parameter -> NUMERIC.contains(parameter.getParamType()))
				.map(RuntimeSearchParam::getName)
				.collect(Collectors.toUnmodifiableSet());
	}

	/** Whether any resource type reads the parameter, as written in a request, as a number. */
	boolean isNumeric(String parameterName) {
		return numericNames.contains(searchedName(parameterName));
	}

	/** The numbers of one value: each OR value and composite part, without prefix, system and unit. */
	static List<String> numbersIn(String value) {
		List<String> numbers = new ArrayList<>();
		for (String alternative : UNESCAPED_OR.split(value, -1)) {
			for (String part : UNESCAPED_COMPOSITE.split(alternative, -1)) {
				String number =
						PREFIX.matcher(UNESCAPED_BAR.split(part, -1)[0].trim()).replaceFirst("");
				if (NumberLimits.isNumber(number)) {
					numbers.add(number);
				}
			}
		}
		return numbers;
	}

	/** The name of the parameter searched in the end: after a reverse chain and a chain, without modifier. */
	static String searchedName(String parameterName) {
		String name = parameterName;
		while (name.startsWith("_has:") && name.split(":", 4).length == 4) {
			name = name.split(":", 4)[3];
		}
		name = name.substring(name.lastIndexOf('.') + 1);
		int modifier = name.indexOf(':');
		return modifier < 0 ? name : name.substring(0, modifier);
	}
}
