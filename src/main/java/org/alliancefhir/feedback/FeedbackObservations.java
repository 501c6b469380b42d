package org.alliancefhir.feedback;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationComponentComponent;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.utilities.xhtml.XhtmlNode;

/**
 * Builds the Observations the rules derive from scores: a comparison (the change since a baseline, derived from
 * both scores, the pattern that replaced the retired observation-delta extension) and split-alliance indices
 * (derived from every score they compare, labelled descriptive and non-normed).
 *
 * @see <a href="https://hl7.org/fhir/R4/observation.html#obsgrouping">Observation grouping and derivedFrom</a>
 */
final class FeedbackObservations {

	private static final Map<String, String> INTERPRETATIONS =
			Map.of("U", "Significant change up", "D", "Significant change down", "B", "Better", "W", "Worse");
	private static final Map<String, String> DUTCH_INTERPRETATIONS =
			Map.of("U", "significant gestegen", "D", "significant gedaald", "B", "verbeterd", "W", "verslechterd");

	private static final Map<String, String> DUTCH_INDICES = Map.of(
			SplitIndices.FAMILY_RANGE, "Gesplitst binnen het gezin, spreiding (hoogste − laagste)",
			SplitIndices.FAMILY_SD, "Gesplitst binnen het gezin, standaarddeviatie",
			SplitIndices.FAMILY_OPPOSITE_SIGNS, "Gesplitst binnen het gezin, paren aan weerszijden van 0",
			SplitIndices.FAMILY_THERAPIST_GAP, "Verschil gezin − hulpverlener (gemiddelden)",
			SplitIndices.FAMILY_RESPONDENTS, "Aantal gezinsleden",
			SplitIndices.RESPONDENTS, "Aantal respondenten");

	private FeedbackObservations() {}

	static Observation comparison(
			FeedbackRule rule,
			Identifier identifier,
			Observation score,
			Observation baseline,
			Coding scoreCode,
			BigDecimal current,
			BigDecimal earlier,
			String interpretation) {
		Observation comparison = base(rule, identifier, score);
		comparison.addDerivedFrom(reference(score));
		comparison.addDerivedFrom(reference(baseline));
		BigDecimal change = current.subtract(earlier);
		comparison.setValue(ScoreQuantities.of(change));
		comparison.addComponent(component("current-score", current));
		comparison.addComponent(component("previous-score", earlier));
		XhtmlNode div = DutchText.div();
		div.addTag("p").addTag("b").addText(rule.messageNl());
		div.addTag("p")
				.addText(display(scoreCode) + ": " + DutchText.signed(change) + " (van " + DutchText.number(earlier)
						+ " naar " + DutchText.number(current) + ")");
		if (interpretation != null) {
			comparison.addInterpretation(new CodeableConcept(new Coding(
							CutOffInterpreter.INTERPRETATION_SYSTEM,
							interpretation,
							INTERPRETATIONS.get(interpretation)))
					.setText(DUTCH_INTERPRETATIONS.get(interpretation)));
			div.addTag("p").addText("Interpretatie: " + DUTCH_INTERPRETATIONS.get(interpretation) + ".");
		}
		comparison.setText(DutchText.narrative(div));
		return comparison;
	}

	static Observation split(
			FeedbackRule rule,
			Identifier identifier,
			Observation latest,
			Collection<Observation> compared,
			Map<String, BigDecimal> indices) {
		Observation split = base(rule, identifier, latest);
		split.setPerformer(null);
		compared.forEach(o -> split.addDerivedFrom(reference(o)));
		split.setMethod(new CodeableConcept(new Coding(
						FeedbackIdentifiers.CODE_SYSTEM, "descriptive-non-normed", "Descriptive, non-normed index"))
				.setText("Beschrijvend, niet genormeerd"));
		split.addNote()
				.setText("Descriptive indices across " + compared.size()
						+ " respondents of one session: the split within the family and the gap between family and"
						+ " hulpverlener are separate components; not normed.");
		XhtmlNode div = DutchText.div();
		div.addTag("p").addTag("b").addText(rule.messageNl());
		div.addTag("p")
				.addText("Beschrijvende indices, niet genormeerd; " + compared.size() + " respondenten, van wie "
						+ DutchText.number(indices.get(SplitIndices.FAMILY_RESPONDENTS)) + " gezinsleden.");
		XhtmlNode list = div.addTag("ul");
		indices.forEach((code, value) -> {
			split.addComponent(component(code, value));
			list.addTag("li").addText(DUTCH_INDICES.getOrDefault(code, code) + ": " + DutchText.number(value));
		});
		split.setText(DutchText.narrative(div));
		return split;
	}

	private static Observation base(FeedbackRule rule, Identifier identifier, Observation score) {
		Observation observation = new Observation();
		observation.addIdentifier(identifier);
		observation.setStatus(ObservationStatus.FINAL);
		observation.addCategory(score.getCategoryFirstRep().copy());
		observation.getCode().addCoding(rule.output().copy());
		observation.getCode().setText(rule.messageNl());
		observation.setSubject(score.getSubject().copy());
		if (score.hasEncounter()) {
			observation.setEncounter(score.getEncounter().copy());
		}
		observation.setEffective(score.getEffective().copy());
		score.getPerformer().forEach(p -> observation.addPerformer(p.copy()));
		return observation;
	}

	private static ObservationComponentComponent component(String code, BigDecimal value) {
		ObservationComponentComponent component = new ObservationComponentComponent();
		component.getCode().addCoding(new Coding(FeedbackIdentifiers.CODE_SYSTEM, code, null));
		component.setValue(ScoreQuantities.of(value));
		return component;
	}

	private static Reference reference(Observation observation) {
		return new Reference("Observation/" + observation.getIdElement().getIdPart());
	}

	private static String display(Coding code) {
		return code.hasDisplay() ? code.getDisplay() : code.getCode();
	}
}
