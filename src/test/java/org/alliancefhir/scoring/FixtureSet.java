package org.alliancefhir.scoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * One {@code fixtures/<questionnaire id>/} folder: the responses and the rows of {@code expected-scores.csv}, with
 * the classpath folder that holds the Questionnaire.
 *
 * @param id the Questionnaire id, which is the folder name
 * @param questionnairePath classpath path of {@code Questionnaire-<id>.json}
 * @param folder the fixture folder
 * @param rows the expected scores
 */
record FixtureSet(String id, String questionnairePath, Path folder, List<ExpectedScore> rows) {

	static final String RESPONSE_PREFIX = "QuestionnaireResponse-";

	/** Every fixture folder under the classpath folder {@code root}, each with Questionnaires from {@code profiles}. */
	static List<FixtureSet> under(String root, String profiles) {
		List<FixtureSet> sets = new ArrayList<>();
		try {
			for (URL url : Collections.list(FixtureSet.class.getClassLoader().getResources(root))) {
				try (Stream<Path> folders = Files.list(Path.of(url.toURI()))) {
					folders.filter(Files::isDirectory).sorted().forEach((folder) -> {
						String id = folder.getFileName().toString();
						String questionnaire = profiles + "/Questionnaire-" + id + ".json";
						sets.add(new FixtureSet(id, questionnaire, folder, ExpectedScore.read(folder)));
					});
				}
			}
		} catch (IOException ex) {
			throw new UncheckedIOException(ex);
		} catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
		return sets;
	}

	/** The scenario names: the response files without prefix and {@code .json}. */
	List<String> scenarios() {
		try (Stream<Path> files = Files.list(this.folder)) {
			return files.map((file) -> file.getFileName().toString())
					.filter((name) -> name.startsWith(RESPONSE_PREFIX) && name.endsWith(".json"))
					.map((name) -> name.substring(RESPONSE_PREFIX.length(), name.length() - ".json".length()))
					.sorted()
					.toList();
		} catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	Path response(String scenario) {
		return this.folder.resolve(RESPONSE_PREFIX + scenario + ".json");
	}

	List<ExpectedScore> rows(String scenario) {
		return this.rows.stream()
				.filter((row) -> row.fixture().equals(scenario))
				.toList();
	}

	@Override
	public String toString() {
		return this.id;
	}
}
