package org.alliancefhir.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.hl7.fhir.r4.model.Reference;

/**
 * Reads back every QuestionnaireResponse and Observation of a test database and lists what is inconsistent: a
 * completed response without exactly its score Observations, an Observation derived from a response or Observation
 * that is not stored, an identifier stored twice.
 *
 * @param responses every stored response
 * @param observations every stored Observation
 * @param problems what is wrong, empty when all is well
 */
record ScoreAudit(List<QuestionnaireResponse> responses, List<Observation> observations, List<String> problems) {

	private static final String RESPONSE = "QuestionnaireResponse";

	/** Audits the whole database behind {@code fhir}; {@code scoresPerQuestionnaire} from the workload. */
	static ScoreAudit of(RawFhirClient fhir, Map<String, Integer> scoresPerQuestionnaire)
			throws IOException, InterruptedException {
		List<QuestionnaireResponse> responses = fhir.all("/QuestionnaireResponse", QuestionnaireResponse.class);
		List<Observation> observations = fhir.all("/Observation", Observation.class);
		List<String> problems = new ArrayList<>();

		Map<String, QuestionnaireResponse> byId = new HashMap<>();
		Map<String, String> idByIdentifier = new HashMap<>();
		for (QuestionnaireResponse response : responses) {
			String id = response.getIdElement().getIdPart();
			byId.put(id, response);
			String previous = idByIdentifier.put(FixtureWorkload.identifier(response), id);
			if (previous != null) {
				problems.add("identifier " + FixtureWorkload.identifier(response) + " stored twice: " + previous
						+ " and " + id);
			}
		}
		Set<String> observationIds = new HashSet<>();
		observations.forEach(o -> observationIds.add(o.getIdElement().getIdPart()));
		Map<String, Integer> scoresByResponse = new HashMap<>();
		for (Observation observation : observations) {
			for (Reference source : observation.getDerivedFrom()) {
				String type = source.getReferenceElement().getResourceType();
				String id = source.getReferenceElement().getIdPart();
				boolean stored = RESPONSE.equals(type)
						? byId.containsKey(id)
						: !"Observation".equals(type) || observationIds.contains(id);
				if (!stored) {
					problems.add("Observation/" + observation.getIdElement().getIdPart() + " is derived from " + type
							+ "/" + id + ", which is not stored");
				}
				if (RESPONSE.equals(type)) {
					scoresByResponse.merge(id, 1, Integer::sum);
				}
			}
		}
		for (QuestionnaireResponse response : responses) {
			boolean finished = response.getStatus() == QuestionnaireResponseStatus.COMPLETED
					|| response.getStatus() == QuestionnaireResponseStatus.AMENDED;
			int expected = finished ? scoresPerQuestionnaire.getOrDefault(response.getQuestionnaire(), -1) : 0;
			int actual = scoresByResponse.getOrDefault(response.getIdElement().getIdPart(), 0);
			if (actual != expected) {
				problems.add("QuestionnaireResponse/" + response.getIdElement().getIdPart() + " ("
						+ response.getQuestionnaire() + ") has " + actual + " score Observations, expected "
						+ expected);
			}
		}
		return new ScoreAudit(responses, observations, problems);
	}

	/** The stored response ids by their identifier value. */
	Map<String, String> idsByIdentifier() {
		Map<String, String> ids = new HashMap<>();
		responses.forEach(
				r -> ids.put(FixtureWorkload.identifier(r), r.getIdElement().getIdPart()));
		return ids;
	}

	QuestionnaireResponse response(String id) {
		return responses.stream()
				.filter(r -> r.getIdElement().getIdPart().equals(id))
				.findFirst()
				.orElseThrow();
	}

	/** The score Observations derived from the response (not those derived from other Observations). */
	List<Observation> scoresOf(String responseId) {
		return observations.stream()
				.filter(o -> o.getDerivedFrom().stream()
						.anyMatch(r -> RESPONSE.equals(r.getReferenceElement().getResourceType())
								&& responseId.equals(r.getReferenceElement().getIdPart())))
				.toList();
	}
}
