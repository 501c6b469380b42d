package org.alliancefhir.content;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The validation warnings justified in the "Validation warnings" table of {@code profiles/README.md}: the first code
 * span of each row, where {@code …} stands for a file-specific part of the message.
 */
record ListedWarnings(List<String> entries) {

	static final String ANY = "…";

	static ListedWarnings in(String readme) {
		int start = readme.indexOf("\n## Validation warnings");
		if (start < 0) {
			throw new IllegalArgumentException("no 'Validation warnings' section");
		}
		int end = readme.indexOf("\n## ", start + 1);
		Matcher row = Pattern.compile("(?m)^\\| `([^`]+)` \\|")
				.matcher(readme.substring(start, end < 0 ? readme.length() : end));
		List<String> entries = new ArrayList<>();
		while (row.find()) {
			entries.add(normalise(row.group(1)));
		}
		return new ListedWarnings(List.copyOf(entries));
	}

	/** Collapses white space, so line breaks in a message or a table cell do not matter. */
	static String normalise(String message) {
		return message.replaceAll("\\s+", " ").trim();
	}

	boolean lists(String warning) {
		return entries.stream().anyMatch(entry -> matches(entry, warning));
	}

	static boolean matches(String entry, String warning) {
		String pattern = Stream.of(entry.split(ANY, -1))
				.map(Pattern::quote)
				.reduce((a, b) -> a + ".*?" + b)
				.orElseThrow();
		return normalise(warning).matches(pattern);
	}
}
