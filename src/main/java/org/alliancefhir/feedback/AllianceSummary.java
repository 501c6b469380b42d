package org.alliancefhir.feedback;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;

/**
 * Builds the {@code $alliance-summary} answer from a patient's stored scores, alerts and split indices: per score
 * code and respondent the series (date, value), the latest and previous score and the change, then the open alerts
 * and the latest split-alliance indices of each kind.
 */
final class AllianceSummary {

	private AllianceSummary() {}

	static Parameters of(
			String patient,
			List<Observation> scores,
			List<Task> openTasks,
			List<Flag> activeFlags,
			List<Observation> splits) {
		Parameters summary = new Parameters();
		summary.addParameter().setName("patient").setValue(new Reference(patient));
		Map<String, List<Observation>> series = new LinkedHashMap<>();
		scores.stream().sorted(ScoreQueries.CHRONOLOGICAL).forEach(score -> series.computeIfAbsent(
						score.getCode().getCodingFirstRep().getCode() + "|" + ScoreValues.respondent(score),
						k -> new ArrayList<>())
				.add(score));
		series.values().forEach(points -> summary.addParameter(series(points)));
		openTasks.forEach(task -> summary.addParameter().setName("alert").setResource(task));
		activeFlags.forEach(flag -> summary.addParameter().setName("flag").setResource(flag));
		Map<String, Observation> latestSplits = new LinkedHashMap<>();
		splits.stream()
				.sorted(ScoreQueries.CHRONOLOGICAL)
				.forEach(split ->
						latestSplits.put(split.getCode().getCodingFirstRep().getCode(), split));
		latestSplits
				.values()
				.forEach(split -> summary.addParameter().setName("split").setResource(split));
		return summary;
	}

	private static ParametersParameterComponent series(List<Observation> points) {
		Observation latest = points.get(points.size() - 1);
		Coding code = latest.getCode().getCodingFirstRep();
		ParametersParameterComponent series = new ParametersParameterComponent().setName("series");
		series.addPart().setName("code").setValue(code.copy());
		series.addPart().setName("respondent").setValue(new Reference(ScoreValues.respondent(latest)));
		series.addPart().setName("count").setValue(new IntegerType(points.size()));
		addScore(series, "latest", latest, code);
		if (latest.hasInterpretation()) {
			series.addPart()
					.setName("interpretation")
					.setValue(latest.getInterpretationFirstRep().copy());
		}
		if (points.size() > 1) {
			Observation previous = points.get(points.size() - 2);
			addScore(series, "previous", previous, code);
			BigDecimal change = value(latest, code).subtract(value(previous, code));
			series.addPart().setName("change").setValue(ScoreQuantities.of(change));
		}
		for (Observation point : points) {
			ParametersParameterComponent part = series.addPart().setName("point");
			part.addPart().setName("date").setValue(point.getEffective().copy());
			part.addPart().setName("value").setValue(ScoreQuantities.of(value(point, code)));
			part.addPart()
					.setName("observation")
					.setValue(
							new Reference("Observation/" + point.getIdElement().getIdPart()));
		}
		return series;
	}

	private static void addScore(ParametersParameterComponent series, String name, Observation score, Coding code) {
		series.addPart().setName(name).setValue(ScoreQuantities.of(value(score, code)));
		series.addPart().setName(name + "Date").setValue(score.getEffective().copy());
		series.addPart()
				.setName(name + "Observation")
				.setValue(new Reference("Observation/" + score.getIdElement().getIdPart()));
	}

	private static BigDecimal value(Observation score, Coding code) {
		return ScoreValues.value(score, code).orElse(BigDecimal.ZERO);
	}
}
