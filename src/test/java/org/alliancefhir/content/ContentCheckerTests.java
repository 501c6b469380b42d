package org.alliancefhir.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.alliancefhir.scoring.ScoringEngine;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Questionnaire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up check accepts the shipped content and names the file of every inconsistency. */
class ContentCheckerTests {

	private static final FhirContext FHIR = FhirContext.forR4Cached();
	private static final ScoringEngine ENGINE = new ScoringEngine(FHIR);
	private final List<ContentFile> shipped = new ContentReader(FHIR).read("file:profiles/");

	@Test
	void theShippedContentHasNoProblems() {
		assertThat(shipped).hasSizeGreaterThan(60);
		assertThat(new ContentChecker(ENGINE).check(shipped)).isEmpty();
	}

	@Test
	void aDuplicateLinkIdIsReported() {
		Questionnaire srs = copyOf("srs");
		item(srs, "q2").setLinkId("q1");

		assertThat(check(srs)).containsExactly("Questionnaire-srs.json: item q1 is defined twice");
	}

	@Test
	void aCodeMissingFromTheProjectCodeSystemIsReported() {
		Questionnaire srs = copyOf("srs");
		item(srs, "q1").getCodeFirstRep().setCode("srs-q99");

		assertThat(check(srs)).singleElement().asString().contains("Questionnaire-srs.json: item q1 uses code srs-q99");
	}

	@Test
	void differentItemWeightAndOrdinalValueAreReported() {
		Questionnaire wav = copyOf("wav-12-client");
		item(wav, "q1")
				.getAnswerOptionFirstRep()
				.getExtensionByUrl("http://hl7.org/fhir/StructureDefinition/itemWeight")
				.setValue(new DecimalType(4));

		assertThat(check(wav))
				.containsExactly(
						"Questionnaire-wav-12-client.json: item q1: itemWeight and ordinalValue differ on an answer option");
	}

	@Test
	void aMissingVersionAndAMismatchedFileNameAreReported() {
		Questionnaire srs = copyOf("srs");
		srs.setVersion(null);
		List<ContentFile> content = replace(srs, "Questionnaire-session.json");

		assertThat(new ContentChecker(ENGINE).check(content))
				.contains(
						"Questionnaire-session.json: file name must be Questionnaire-srs.json",
						"Questionnaire-session.json: a canonical resource needs both url and version");
	}

	@Test
	void aScoreExpressionThatDoesNotParseIsReported() {
		Questionnaire srs = copyOf("srs");
		srs.setVersion("9.0.0-broken");
		item(srs, "total")
				.getExtensionByUrl(
						"http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression")
				.setValue(new Expression().setLanguage("text/fhirpath").setExpression("%vas.sum(("));

		assertThat(check(srs))
				.singleElement()
				.asString()
				.startsWith("Questionnaire-srs.json: ")
				.contains("total");
	}

	@Test
	void aFileThatDoesNotParseIsNamed(@TempDir Path folder) throws Exception {
		Files.writeString(
				folder.resolve("Questionnaire-broken.json"), "{\"resourceType\": \"Questionnaire\", \"item\": [");
		Files.writeString(
				folder.resolve("Questionnaire-unknown.json"),
				"{\"resourceType\": \"Questionnaire\", \"colour\": \"red\"}");

		assertThatThrownBy(() -> new ContentReader(FHIR).read("file:" + folder))
				.isInstanceOf(InvalidContentException.class)
				.hasMessageContaining("Questionnaire-broken.json")
				.hasMessageContaining("Questionnaire-unknown.json")
				.hasMessageContaining("colour");
	}

	private static Questionnaire.QuestionnaireItemComponent item(Questionnaire questionnaire, String linkId) {
		return questionnaire.getItem().stream()
				.filter(i -> i.getLinkId().equals(linkId))
				.findFirst()
				.orElseThrow();
	}

	private List<String> check(Questionnaire changed) {
		return new ContentChecker(ENGINE)
				.check(replace(
						changed, "Questionnaire-" + changed.getIdElement().getIdPart() + ".json"));
	}

	private List<ContentFile> replace(Questionnaire changed, String fileName) {
		List<ContentFile> content = new ArrayList<>();
		for (ContentFile file : shipped) {
			boolean same =
					file.resource() instanceof Questionnaire q && q.getUrl().equals(changed.getUrl());
			content.add(same ? new ContentFile(fileName, changed) : file);
		}
		return content;
	}

	private Questionnaire copyOf(String id) {
		return shipped.stream()
				.filter(f -> f.resource() instanceof Questionnaire && f.id().equals(id))
				.map(f -> ((Questionnaire) f.resource()).copy())
				.findFirst()
				.orElseThrow();
	}
}
