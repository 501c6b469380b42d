package org.alliancefhir.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.junit.jupiter.api.Test;

/** Licensed wording replaces texts only; anything that could change a score is refused with the file named. */
class LicensedWordingTests {

	private static final FhirContext FHIR = FhirContext.forR4Cached();
	private final List<ContentFile> shipped = new ContentReader(FHIR).read("file:profiles/");

	@Test
	void officialTextsReplaceTheParaphrases() {
		Questionnaire official = shippedQuestionnaire("wav-12-client");
		official.setTitle("Official title");
		official.getItemFirstRep().setText("Official wording of item 1");
		official.getItemFirstRep().getAnswerOptionFirstRep().getValueCoding().setDisplay("Official anchor");
		official.setCopyright("Licensed to Example Care");

		List<ContentFile> result = new LicensedWording().apply(shipped, List.of(file("official.json", official)));

		Questionnaire applied = questionnaire(result, "wav-12-client");
		assertThat(applied.getTitle()).isEqualTo("Official title");
		assertThat(applied.getItemFirstRep().getText()).isEqualTo("Official wording of item 1");
		assertThat(applied.getIdElement().getIdPart()).isEqualTo("wav-12-client");
		assertThat(result).hasSameSizeAs(shipped);
	}

	@Test
	void officialPoleLabelsAndEntryHintReplaceTheProjectOnes() {
		Questionnaire official = shippedQuestionnaire("ors");
		QuestionnaireItemComponent item = official.getItem().get(0);
		item.getItem().get(0).setText("Official lower anchor");
		item.getExtensionByUrl("http://hl7.org/fhir/StructureDefinition/entryFormat")
				.setValue(new org.hl7.fhir.r4.model.StringType("Official anchors"));

		List<ContentFile> result = new LicensedWording().apply(shipped, List.of(file("official.json", official)));

		QuestionnaireItemComponent applied =
				questionnaire(result, "ors").getItem().get(0);
		assertThat(applied.getItem().get(0).getText()).isEqualTo("Official lower anchor");
		assertThat(applied.getExtensionString("http://hl7.org/fhir/StructureDefinition/entryFormat"))
				.isEqualTo("Official anchors");
	}

	@Test
	void aMissingPoleLabelIsRefused() {
		Questionnaire official = shippedQuestionnaire("ors");
		official.getItem().get(0).getItem().remove(0);

		assertRefused(official, "changes more than wording");
	}

	@Test
	void aChangedWeightIsRefused() {
		Questionnaire official = shippedQuestionnaire("wav-12-client");
		Extension weight = official.getItemFirstRep()
				.getAnswerOptionFirstRep()
				.getExtensionByUrl("http://hl7.org/fhir/StructureDefinition/itemWeight");
		weight.setValue(new org.hl7.fhir.r4.model.DecimalType(9));

		assertRefused(official, "changes more than wording");
	}

	@Test
	void aRenamedLinkIdIsRefused() {
		Questionnaire official = shippedQuestionnaire("srs");
		official.getItemFirstRep().setLinkId("q1-renamed");

		assertRefused(official, "changes more than wording");
	}

	@Test
	void aChangedExpressionIsRefused() {
		Questionnaire official = shippedQuestionnaire("srs");
		QuestionnaireItemComponent total = official.getItem().stream()
				.filter(i -> i.getLinkId().equals("total"))
				.findFirst()
				.orElseThrow();
		total.getExtensionByUrl("http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression")
				.setValue(new org.hl7.fhir.r4.model.Expression()
						.setLanguage("text/fhirpath")
						.setExpression("40"));

		assertRefused(official, "changes more than wording");
	}

	@Test
	void aQuestionnaireWithoutShippedCounterpartIsRefused() {
		Questionnaire official = shippedQuestionnaire("srs");
		official.setVersion("2.0.0");

		assertRefused(official, "no shipped Questionnaire has https://alliancefhir.org/fhir/Questionnaire/srs|2.0.0");
	}

	private void assertRefused(Questionnaire official, String message) {
		assertThatThrownBy(() -> new LicensedWording().apply(shipped, List.of(file("official-srs.json", official))))
				.isInstanceOf(InvalidContentException.class)
				.hasMessageContaining("official-srs.json")
				.hasMessageContaining(message);
	}

	private Questionnaire shippedQuestionnaire(String id) {
		return questionnaire(shipped, id).copy();
	}

	private static Questionnaire questionnaire(List<ContentFile> files, String id) {
		return files.stream()
				.filter(f -> f.resource() instanceof Questionnaire && f.id().equals(id))
				.map(f -> (Questionnaire) f.resource())
				.findFirst()
				.orElseThrow();
	}

	private static ContentFile file(String name, Questionnaire questionnaire) {
		return new ContentFile(name, questionnaire);
	}
}
