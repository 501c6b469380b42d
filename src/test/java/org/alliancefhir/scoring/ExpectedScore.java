package org.alliancefhir.scoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One row of {@code expected-scores.csv}: {@code fixture,linkId,member,expected}, where an empty member means
 * outside repeating groups and an empty expected means no score.
 *
 * @param fixture the scenario name
 * @param linkId the score item
 * @param groupInstancePath the member index as a path, or empty
 * @param expected the expected value, or empty
 */
record ExpectedScore(String fixture, String linkId, List<Integer> groupInstancePath, Optional<BigDecimal> expected) {

	static final String HEADER = "fixture,linkId,member,expected";

	static List<ExpectedScore> read(Path folder) {
		Path csv = folder.resolve("expected-scores.csv");
		if (!Files.exists(csv)) {
			return List.of();
		}
		try {
			List<String> lines = Files.readAllLines(csv);
			if (lines.isEmpty() || !lines.get(0).strip().equals(HEADER)) {
				throw new IllegalStateException(csv + " must start with the header " + HEADER);
			}
			List<ExpectedScore> rows = new ArrayList<>();
			for (String line : lines.subList(1, lines.size())) {
				if (!line.isBlank()) {
					rows.add(parse(csv, line));
				}
			}
			return rows;
		} catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static ExpectedScore parse(Path csv, String line) {
		String[] cells = line.split(",", -1);
		if (cells.length != 4) {
			throw new IllegalStateException(csv + ": not 4 cells: " + line);
		}
		String member = cells[2].strip();
		String expected = cells[3].strip();
		return new ExpectedScore(
				cells[0].strip(),
				cells[1].strip(),
				member.isEmpty() ? List.of() : List.of(Integer.valueOf(member)),
				expected.isEmpty() ? Optional.empty() : Optional.of(new BigDecimal(expected)));
	}

	String key() {
		return this.fixture + " " + this.linkId
				+ (this.groupInstancePath.isEmpty() ? "" : " " + this.groupInstancePath);
	}
}
