package org.alliancefhir.extraction;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.alliancefhir.content.ProjectUrls;
import org.alliancefhir.content.RespondentPerspective;
import org.alliancefhir.feedback.DutchText;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationComponentComponent;
import org.hl7.fhir.r4.model.Observation.ObservationReferenceRangeComponent;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.utilities.xhtml.XhtmlNode;

/**
 * Writes the Dutch narrative of a score Observation, labelled with the Questionnaire's own (Dutch) item texts, so an
 * EHR that shows {@code text.div} shows the score, its parts and how it compares with the cut-off. The server stores
 * score Observations without it and writes it when it serves them (building it is cheaper than parsing it back): the
 * Observation keeps what it needs, which Questionnaire scored it and whose rating it is ({@link #mark}).
 */
class ScoreNarrative {

	/**
	 * Records on the Observation what its narrative needs beyond its own elements.
	 *
	 * @param rater the rater's respondent perspective, or {@code null} when unknown
	 */
	static void mark(Observation observation, Questionnaire questionnaire, String rater) {
		String canonical =
				questionnaire.getUrl() + (questionnaire.hasVersion() ? "|" + questionnaire.getVersion() : "");
		observation.addExtension(ProjectUrls.SCORE_QUESTIONNAIRE_EXTENSION, new CanonicalType(canonical));
		if (rater != null) {
			observation.addExtension(ProjectUrls.RATER_PERSPECTIVE_EXTENSION, new CodeType(rater));
		}
	}

	/** Whether the Observation is a score Observation whose narrative is written when it is served. */
	static boolean isMarked(Observation observation) {
		return observation.hasExtension(ProjectUrls.SCORE_QUESTIONNAIRE_EXTENSION);
	}

	/** The canonical of the Questionnaire that scored the marked Observation. */
	static String questionnaire(Observation observation) {
		return observation
				.getExtensionByUrl(ProjectUrls.SCORE_QUESTIONNAIRE_EXTENSION)
				.getValue()
				.primitiveValue();
	}

	/** The rater's respondent perspective recorded on the marked Observation, or {@code null}. */
	static String rater(Observation observation) {
		Extension rater = observation.getExtensionByUrl(ProjectUrls.RATER_PERSPECTIVE_EXTENSION);
		return rater == null || rater.getValue() == null
				? null
				: rater.getValue().primitiveValue();
	}

	/** The Observation without the marks, to compare stored scores with fresh ones of either generation. */
	static void unmark(Observation observation) {
		observation
				.getExtension()
				.removeIf(e -> e.getUrl().equals(ProjectUrls.SCORE_QUESTIONNAIRE_EXTENSION)
						|| e.getUrl().equals(ProjectUrls.RATER_PERSPECTIVE_EXTENSION));
	}

	/**
	 * @param rater the rater's respondent perspective, or {@code null} when unknown
	 * @param cutOffWithheld whether a cut-off exists for other raters only
	 */
	void describe(Observation observation, Questionnaire questionnaire, String rater, boolean cutOffWithheld) {
		Map<String, String> labels = labels(questionnaire);
		XhtmlNode div = DutchText.div();
		XhtmlNode heading = div.addTag("p");
		heading.addTag("b").addText(questionnaire.hasTitle() ? questionnaire.getTitle() : questionnaire.getName());
		XhtmlNode line = div.addTag("p");
		line.addText(label(observation.getCode(), labels) + ": ");
		if (observation.getValue() instanceof Quantity quantity) {
			line.addTag("b").addText(format(quantity.getValue()));
			describeCutOff(line, observation.getInterpretation(), observation.getReferenceRange());
		}
		if (observation.hasComponent()) {
			XhtmlNode list = div.addTag("ul");
			for (ObservationComponentComponent component : observation.getComponent()) {
				XhtmlNode item = list.addTag("li");
				item.addText(label(component.getCode(), labels) + ": ");
				if (component.getValue() instanceof Quantity quantity) {
					item.addText(format(quantity.getValue()));
					describeCutOff(item, component.getInterpretation(), component.getReferenceRange());
				}
			}
		}
		if (observation.hasFocus()) {
			div.addTag("p").addText("Beoordeeld gezinslid: " + display(observation.getFocusFirstRep()));
		}
		if (rater != null) {
			div.addTag("p").addText("Beoordeling door: " + RespondentPerspective.dutch(rater) + ".");
		}
		if (cutOffWithheld) {
			div.addTag("p")
					.addText("Geen grenswaarde: de grenswaarde geldt voor zelfrapportage door de cliënt; voor een"
							+ " beoordeling door " + RespondentPerspective.dutch(rater)
							+ " is geen grenswaarde vastgesteld.");
		}
		div.addTag("p")
				.addText("Berekend door de server uit "
						+ observation.getDerivedFromFirstRep().getReference() + ".");
		observation.setText(
				new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED).setDiv(div));
	}

	private static void describeCutOff(
			XhtmlNode node, List<CodeableConcept> interpretation, List<ObservationReferenceRangeComponent> ranges) {
		if (interpretation.isEmpty() || ranges.isEmpty()) {
			return;
		}
		ObservationReferenceRangeComponent range = ranges.get(0);
		node.addText(" (" + interpretation.get(0).getText().toLowerCase(Locale.ROOT) + ": "
				+ format(range.getLow().getValue()) + "–"
				+ format(range.getHigh().getValue()) + ")");
	}

	private static Map<String, String> labels(Questionnaire questionnaire) {
		Map<String, String> labels = new HashMap<>();
		collect(questionnaire.getItem(), labels);
		return labels;
	}

	private static void collect(List<QuestionnaireItemComponent> items, Map<String, String> labels) {
		for (QuestionnaireItemComponent item : items) {
			if (item.hasText()) {
				item.getCode().forEach(c -> labels.putIfAbsent(key(c), item.getText()));
			}
			collect(item.getItem(), labels);
		}
	}

	private static String label(CodeableConcept code, Map<String, String> labels) {
		for (Coding coding : code.getCoding()) {
			String label = labels.get(key(coding));
			if (label != null) {
				return label;
			}
		}
		return code.getCodingFirstRep().hasDisplay()
				? code.getCodingFirstRep().getDisplay()
				: code.getCodingFirstRep().getCode();
	}

	private static String display(Reference reference) {
		return reference.hasDisplay() ? reference.getDisplay() : reference.getReference();
	}

	private static String key(Coding coding) {
		return coding.getSystem() + "|" + coding.getCode();
	}

	private static String format(BigDecimal value) {
		return DutchText.number(value);
	}
}
