package org.alliancefhir.extraction;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.alliancefhir.scoring.Score;
import org.alliancefhir.scoring.ScoreSheet;
import org.alliancefhir.scoring.SdcExtensions;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationComponentComponent;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemType;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.Reference;

/**
 * Builds the score Observations of one scored response by SDC Observation-based extraction: an Observation per
 * extracted item (per group instance inside repeating groups) whose value is the server's score, with the items
 * marked {@code component} as its components; a group yields a panel without value. Values always come from the
 * server's {@link ScoreSheet}, never from scores the client sent.
 *
 * @see <a href="https://hl7.org/fhir/uv/sdc/STU4/extraction.html#observation-based-extraction">SDC extraction</a>
 */
class ScoreObservationBuilder {

	private final ObservationTemplate template;

	ScoreObservationBuilder(ObservationTemplate template) {
		this.template = template;
	}

	List<Observation> build(Questionnaire questionnaire, QuestionnaireResponse response, ScoreSheet scores) {
		List<Observation> observations = new ArrayList<>();
		ExtractionRule root = ExtractionRule.of(asItem(questionnaire), ExtractionRule.SKIP);
		walk(
				new Walk(response, scores, observations),
				questionnaire.getItem(),
				response.getItem(),
				List.of(),
				null,
				root,
				category(questionnaire.getExtensionByUrl(SdcExtensions.OBSERVATION_EXTRACT_CATEGORY), null));
		return observations;
	}

	private record Walk(QuestionnaireResponse response, ScoreSheet scores, List<Observation> out) {}

	private void walk(
			Walk walk,
			List<QuestionnaireItemComponent> items,
			List<QuestionnaireResponseItemComponent> answers,
			List<Integer> path,
			Reference focus,
			ExtractionRule inherited,
			CodeableConcept inheritedCategory) {
		for (QuestionnaireItemComponent item : items) {
			ExtractionRule rule = ExtractionRule.of(item, inherited);
			CodeableConcept category =
					category(item.getExtensionByUrl(SdcExtensions.OBSERVATION_EXTRACT_CATEGORY), inheritedCategory);
			List<QuestionnaireResponseItemComponent> instances = answers.stream()
					.filter(a -> item.getLinkId().equals(a.getLinkId()))
					.toList();
			if (item.getType() == QuestionnaireItemType.GROUP) {
				for (int i = 0; i < instances.size(); i++) {
					List<Integer> instancePath = item.getRepeats() ? append(path, i) : path;
					QuestionnaireResponseItemComponent instance = instances.get(i);
					Reference instanceFocus =
							Optional.ofNullable(subjectOf(item, instance)).orElse(focus);
					if (rule == ExtractionRule.EXTRACT && item.hasCode()) {
						Observation panel = observation(walk, item, instancePath, instanceFocus, category);
						addComponents(panel, item, walk.scores(), instancePath);
						if (panel.hasComponent()) {
							walk.out().add(panel);
						}
					}
					walk(walk, item.getItem(), instance.getItem(), instancePath, instanceFocus, rule, category);
				}
			} else if (rule == ExtractionRule.EXTRACT && item.hasCode()) {
				value(walk.scores(), item, path).ifPresent(value -> {
					Observation observation = observation(walk, item, path, focus, category);
					observation.setValue(quantity(item, value));
					addComponents(observation, item, walk.scores(), path);
					walk.out().add(observation);
				});
			}
		}
	}

	private Observation observation(
			Walk walk, QuestionnaireItemComponent item, List<Integer> path, Reference focus, CodeableConcept category) {
		Observation observation = template.forResponse(walk.response(), key(item.getLinkId(), path));
		item.getCode().forEach(c -> observation.getCode().addCoding(c.copy()));
		if (category != null) {
			observation.addCategory(category.copy());
		}
		if (focus != null) {
			observation.addFocus(focus.copy());
		}
		return observation;
	}

	private static void addComponents(
			Observation observation, QuestionnaireItemComponent parent, ScoreSheet scores, List<Integer> path) {
		for (QuestionnaireItemComponent child : parent.getItem()) {
			if (ExtractionRule.of(child, ExtractionRule.SKIP) == ExtractionRule.COMPONENT && child.hasCode()) {
				value(scores, child, path).ifPresent(value -> {
					ObservationComponentComponent component = observation.addComponent();
					child.getCode().forEach(c -> component.getCode().addCoding(c.copy()));
					component.setValue(quantity(child, value));
				});
			}
		}
	}

	private static Optional<BigDecimal> value(ScoreSheet scores, QuestionnaireItemComponent item, List<Integer> path) {
		return scores.find(item.getLinkId(), path).flatMap(Score::value);
	}

	private static Quantity quantity(QuestionnaireItemComponent item, BigDecimal value) {
		Quantity quantity = new Quantity().setValue(value);
		Extension unit = item.getExtensionByUrl(SdcExtensions.QUESTIONNAIRE_UNIT);
		if (unit != null && unit.getValue() instanceof Coding coding) {
			quantity.setSystem(coding.getSystem())
					.setCode(coding.getCode())
					.setUnit(coding.hasDisplay() ? coding.getDisplay() : coding.getCode());
		}
		return quantity;
	}

	/** The reference answered in the group's {@code isSubject} item: whom this group's answers are about. */
	private static Reference subjectOf(QuestionnaireItemComponent group, QuestionnaireResponseItemComponent instance) {
		for (QuestionnaireItemComponent child : group.getItem()) {
			if (child.hasExtension(SdcExtensions.IS_SUBJECT)) {
				for (QuestionnaireResponseItemComponent answered : instance.getItem()) {
					if (child.getLinkId().equals(answered.getLinkId())
							&& answered.hasAnswer()
							&& answered.getAnswerFirstRep().getValue() instanceof Reference reference) {
						return reference;
					}
				}
			}
		}
		return null;
	}

	private static CodeableConcept category(Extension extension, CodeableConcept inherited) {
		return extension != null && extension.getValue() instanceof CodeableConcept concept ? concept : inherited;
	}

	/** A stable key of the score inside its response, e.g. {@code total} or {@code member/1}. */
	static String key(String linkId, List<Integer> path) {
		StringBuilder key = new StringBuilder(linkId);
		path.forEach(i -> key.append('/').append(i));
		return key.toString();
	}

	private static List<Integer> append(List<Integer> path, int index) {
		List<Integer> longer = new ArrayList<>(path);
		longer.add(index);
		return longer;
	}

	private static QuestionnaireItemComponent asItem(Questionnaire questionnaire) {
		QuestionnaireItemComponent root = new QuestionnaireItemComponent();
		root.setExtension(questionnaire.getExtension());
		return root;
	}
}
