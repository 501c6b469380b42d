package org.alliancefhir.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One case's Markdown table, with a line on what it measures and notes below it. */
final class ResultSection {

	private final String title;
	private final String measures;
	private final List<String> header;
	private final List<List<String>> rows = new ArrayList<>();
	private final List<String> notes = new ArrayList<>();

	ResultSection(String title, String measures, String... header) {
		this.title = title;
		this.measures = measures;
		this.header = List.of(header);
	}

	ResultSection row(Object... cells) {
		List<String> row = new ArrayList<>();
		for (Object cell : cells) {
			row.add(format(cell));
		}
		rows.add(row);
		return this;
	}

	ResultSection note(String note) {
		notes.add(note);
		return this;
	}

	List<List<String>> rows() {
		return rows;
	}

	String title() {
		return title;
	}

	String markdown() {
		StringBuilder out = new StringBuilder("## ").append(title).append("\n\n");
		out.append(measures).append("\n\n");
		out.append("| ").append(String.join(" | ", header)).append(" |\n");
		out.append("|").append("---|".repeat(header.size())).append("\n");
		for (List<String> row : rows) {
			out.append("| ").append(String.join(" | ", row)).append(" |\n");
		}
		if (!notes.isEmpty()) {
			out.append("\n");
			notes.forEach(note -> out.append("- ").append(note).append("\n"));
		}
		return out.append("\n").toString();
	}

	static String format(Object cell) {
		if (cell instanceof Double value) {
			if (value.isNaN()) {
				return "–";
			}
			double magnitude = Math.abs(value);
			String pattern =
					magnitude >= 1000 ? "%,.0f" : magnitude >= 100 ? "%.0f" : magnitude >= 10 ? "%.1f" : "%.2f";
			return String.format(Locale.ROOT, pattern, value);
		}
		return String.valueOf(cell);
	}
}
