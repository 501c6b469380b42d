package org.alliancefhir.scoring;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;

/**
 * Compares the score items a client put in its response (nested components included) with the server's scores,
 * numerically, so that 36 and 36.0 agree.
 */
final class ClientScores {

	private final ScoringPlan plan;

	private final ScoreSheet serverScores;

	private final List<ScoreDiscrepancy> discrepancies = new ArrayList<>();

	private ClientScores(ScoringPlan plan, ScoreSheet serverScores) {
		this.plan = plan;
		this.serverScores = serverScores;
	}

	static List<ScoreDiscrepancy> compare(ScoringPlan plan, ScoreSheet serverScores, QuestionnaireResponse response) {
		ClientScores comparison = new ClientScores(plan, serverScores);
		comparison.walk(response.getItem(), List.of());
		return List.copyOf(comparison.discrepancies);
	}

	private void walk(List<QuestionnaireResponseItemComponent> items, List<Integer> path) {
		Map<String, Integer> instanceCounts = new HashMap<>();
		for (QuestionnaireResponseItemComponent item : items) {
			List<Integer> itemPath = path;
			if (this.plan.isRepeatingGroup(item.getLinkId())) {
				itemPath = new ArrayList<>(path);
				itemPath.add(instanceCounts.merge(item.getLinkId(), 1, Integer::sum) - 1);
			}
			for (QuestionnaireResponseItemAnswerComponent answer : item.getAnswer()) {
				if (this.plan.isScore(item.getLinkId()) && answer.hasValue()) {
					check(item.getLinkId(), itemPath, answer.getValue());
				}
				walk(answer.getItem(), itemPath);
			}
			walk(item.getItem(), itemPath);
		}
	}

	private void check(String linkId, List<Integer> path, Base clientValue) {
		Optional<BigDecimal> serverValue = this.serverScores.find(linkId, path).flatMap(Score::value);
		BigDecimal client = Numbers.toDecimal(clientValue);
		boolean agrees = client != null && serverValue.isPresent() && client.compareTo(serverValue.get()) == 0;
		if (!agrees) {
			String sent = (client != null)
					? client.toPlainString()
					: clientValue.isPrimitive() ? clientValue.primitiveValue() : clientValue.fhirType();
			this.discrepancies.add(new ScoreDiscrepancy(linkId, path, sent, serverValue));
		}
	}
}
