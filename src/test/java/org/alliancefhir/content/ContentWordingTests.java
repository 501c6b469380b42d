package org.alliancefhir.content;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

/**
 * The Dutch texts use one word per meaning (issue 17), feedback rules without a published basis say so in their
 * title, and every visual-analogue item carries what a renderer needs to
 * draw a line with its two poles, in Dutch and English; see profiles/README.md, "Wording decisions" and "Rendering".
 */
class ContentWordingTests {

	private static final String ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl";
	private static final String ENTRY_FORMAT = "http://hl7.org/fhir/StructureDefinition/entryFormat";
	private static final String TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation";
	private static final Pattern THERAPEUT = Pattern.compile("\\btherapeut(en|versie)?\\b", Pattern.CASE_INSENSITIVE);

	private final List<Questionnaire> questionnaires = new ContentReader(FhirContext.forR4Cached())
			.read("file:profiles/").stream()
					.filter(f -> f.resource() instanceof Questionnaire)
					.map(f -> (Questionnaire) f.resource())
					.toList();

	@Test
	void dutchTextsSayHulpverlenerAndNameSoftaDimensionsOneWay() {
		List<String> texts =
				questionnaires.stream().flatMap(ContentWordingTests::dutchTexts).toList();

		assertThat(texts).hasSizeGreaterThan(200);
		assertThat(texts).noneMatch(t -> THERAPEUT.matcher(t).find());
		assertThat(texts).noneMatch(t -> t.toLowerCase().contains("emotionele band"));
		assertThat(texts).anyMatch(t -> t.contains("Emotionele verbondenheid met de hulpverlener"));
		assertThat(questionnaires.stream()
						.filter(q -> q.getIdElement().getIdPart().startsWith("wav-12"))
						.flatMap(ContentWordingTests::dutchTexts))
				.isNotEmpty()
				.noneMatch(t -> t.toLowerCase().contains("betrokkenheid"));
	}

	@Test
	void feedbackRulesAndTheirCodesSayHulpverlenerAndNameWhatIsNotNormed() {
		List<org.hl7.fhir.instance.model.api.IBaseResource> resources = new ContentReader(FhirContext.forR4Cached())
				.read("file:profiles/").stream().map(ContentFile::resource).toList();
		List<PlanDefinition> plans = resources.stream()
				.filter(r -> r instanceof PlanDefinition)
				.map(r -> (PlanDefinition) r)
				.toList();
		List<String> titles = plans.stream()
				.flatMap(plan -> plan.getAction().stream())
				.map(PlanDefinition.PlanDefinitionActionComponent::getTitle)
				.toList();
		List<String> designations = resources.stream()
				.filter(r -> r instanceof CodeSystem system && system.getUrl().endsWith("/alliance-feedback"))
				.flatMap(r -> ((CodeSystem) r).getConcept().stream())
				.flatMap(concept -> concept.getDesignation().stream())
				.filter(d -> "nl".equals(d.getLanguage()))
				.map(CodeSystem.ConceptDefinitionDesignationComponent::getValue)
				.toList();

		assertThat(titles)
				.hasSizeGreaterThan(30)
				.noneMatch(t -> THERAPEUT.matcher(t).find());
		assertThat(titles).contains("WAV-12 verschil cliënt-hulpverlener (totaal)");
		assertThat(designations)
				.hasSizeGreaterThan(40)
				.noneMatch(t -> THERAPEUT.matcher(t).find());
		assertThat(plans.stream().flatMap(plan -> plan.getAction().stream()))
				.filteredOn(a -> a.hasDescription() && a.getDescription().startsWith("Not normed"))
				.hasSizeGreaterThanOrEqualTo(6)
				.allSatisfy(a -> assertThat(a.getTitle()).as(a.getId()).contains("(niet genormeerd)"));
	}

	@Test
	void everyVisualAnalogueItemAsksForASliderWithBothPolesInDutchAndEnglish() {
		List<QuestionnaireItemComponent> scales = new ArrayList<>();
		questionnaires.forEach(q -> collectScales(q.getItem(), scales));

		assertThat(scales).hasSizeGreaterThanOrEqualTo(28);
		assertThat(scales).allSatisfy(item -> {
			assertThat(controlCode(item)).as(item.getLinkId()).isEqualTo("slider");
			Extension format = item.getExtensionByUrl(ENTRY_FORMAT);
			assertThat(format).as(item.getLinkId() + " entryFormat").isNotNull();
			assertThat(english(format.getValue()))
					.as(item.getLinkId() + " entryFormat in English")
					.isNotBlank();
			assertThat(item.getItem())
					.extracting(ContentWordingTests::controlCode)
					.containsExactly("lower", "upper", "help");
			assertThat(item.getItem()).allSatisfy(label -> {
				assertThat(label.getType()).isEqualTo(Questionnaire.QuestionnaireItemType.DISPLAY);
				assertThat(label.getText()).isNotBlank();
				assertThat(english(label.getTextElement())).isNotBlank();
			});
		});
	}

	@Test
	void outcomeItemsNameTheirTimeFrame() {
		List<String> itemTexts = questionnaires.stream()
				.filter(q -> q.getIdElement().getIdPart().matches("c?ors(-parent)?"))
				.flatMap(q -> q.getItem().stream())
				.filter(item -> item.getLinkId().matches("q\\d"))
				.map(QuestionnaireItemComponent::getText)
				.toList();

		assertThat(itemTexts).hasSize(16).allMatch(text -> text.startsWith("Afgelopen week: "));
	}

	/** Answerable 0-10 decimal items: the visual-analogue scales. */
	private static void collectScales(List<QuestionnaireItemComponent> items, List<QuestionnaireItemComponent> found) {
		for (QuestionnaireItemComponent item : items) {
			Extension max = item.getExtensionByUrl("http://hl7.org/fhir/StructureDefinition/maxValue");
			if (!item.getReadOnly()
					&& max != null
					&& max.getValue() instanceof DecimalType value
					&& value.getValue().intValue() == 10) {
				found.add(item);
			}
			collectScales(item.getItem(), found);
		}
	}

	private static String controlCode(QuestionnaireItemComponent item) {
		Extension control = item.getExtensionByUrl(ITEM_CONTROL);
		return control == null
				? null
				: ((CodeableConcept) control.getValue()).getCodingFirstRep().getCode();
	}

	private static String english(Element element) {
		Extension translation = element.getExtensionByUrl(TRANSLATION);
		return translation == null ? null : translation.getExtensionString("content");
	}

	private static Stream<String> dutchTexts(Questionnaire questionnaire) {
		List<String> texts = new ArrayList<>(List.of(questionnaire.getTitle(), questionnaire.getDescription()));
		collectTexts(questionnaire.getItem(), texts);
		return texts.stream();
	}

	private static void collectTexts(List<QuestionnaireItemComponent> items, List<String> texts) {
		for (QuestionnaireItemComponent item : items) {
			texts.add(item.getText());
			item.getAnswerOption().stream()
					.filter(o -> o.hasValueCoding())
					.forEach(o -> texts.add(o.getValueCoding().getDisplay()));
			Extension format = item.getExtensionByUrl(ENTRY_FORMAT);
			if (format != null) {
				texts.add(((StringType) format.getValue()).getValue());
			}
			collectTexts(item.getItem(), texts);
		}
	}
}
