package org.alliancefhir.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.alliancefhir.scoring.ScoringEngine;
import org.hl7.fhir.r4.model.Questionnaire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up loads the content folder, applies a configured licensed-wording folder and stops on bad files. */
class ContentStartupTests {

	private static final FhirContext FHIR = FhirContext.forR4Cached();

	@Test
	void aLicensedWordingFolderReplacesTheParaphrasedTexts(@TempDir Path wording) throws Exception {
		Questionnaire official = (Questionnaire)
				FHIR.newJsonParser().parseResource(Files.readString(Path.of("profiles/Questionnaire-srs.json")));
		official.getItemFirstRep().setText("Official item 1");
		Files.writeString(
				wording.resolve("srs-official.json"), FHIR.newJsonParser().encodeResourceToString(official));

		ContentStartup startup = startup("file:profiles/", wording.toString());

		Questionnaire loaded = startup.load().stream()
				.filter(f -> f.fileName().equals("Questionnaire-srs.json"))
				.map(f -> (Questionnaire) f.resource())
				.findFirst()
				.orElseThrow();
		assertThat(loaded.getItemFirstRep().getText()).isEqualTo("Official item 1");
	}

	@Test
	void anInconsistentContentFolderStopsTheStartWithTheFileAndTheProblem(@TempDir Path content) throws Exception {
		Files.copy(Path.of("profiles/Questionnaire-srs.json"), content.resolve("Questionnaire-session.json"));

		assertThatThrownBy(() -> startup("file:" + content, "").load())
				.isInstanceOf(InvalidContentException.class)
				.hasMessageContaining("server does not start")
				.hasMessageContaining("Questionnaire-session.json: file name must be Questionnaire-srs.json");
	}

	private static ContentStartup startup(String location, String licensedWordingDir) {
		return new ContentStartup(
				new ContentProperties(location, licensedWordingDir),
				FHIR,
				null,
				new ScoringEngine(FHIR),
				null,
				null,
				List.of());
	}
}
