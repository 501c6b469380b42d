package org.alliancefhir.server;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.QuestionnaireResponse;

/**
 * The sessions of one adult client, in the order they happen, built from the fixtures: an SRS series that drops by
 * 1.5 points and then falls below its cut-off (two alerts, a Flag for the urgent one, four comparisons), an ORS intake below
 * its cut-off and a reliable improvement (an informational Task, one comparison), and a WAV-12 filled in by the client
 * and the therapist in one encounter (four split Observations).
 */
final class ClientSessions {

	static final String BIRTH_DATE = "1980-06-01";
	static final double[] SRS_TOTALS = {38.0, 37.5, 36.0, 35.9, 37.0};
	static final double[] ORS_TOTALS = {20.0, 26.0};
	/** Tasks one client's sessions raise: a drop and a low SRS, a low ORS intake. */
	static final int TASKS = 3;
	/** Flags: one per urgent SRS alert (below the cut-off; the drop rule is routine). */
	static final int FLAGS = 1;
	/** Comparisons: four SRS changes, one ORS change since intake. */
	static final int COMPARISONS = 4 + 1;
	/** Split Observations: the WAV-12 total and its three subscales. */
	static final int SPLITS = 4;

	static final String COMPARISON_LINE = "Observation \\S*-change.*";
	static final String SPLIT_LINE = "Observation \\S*-discrepancy.*";

	private static final String SRS = "https://alliancefhir.org/fhir/Questionnaire/srs|1.0.0";
	private static final String ORS = "https://alliancefhir.org/fhir/Questionnaire/ors|1.0.0";

	private final FhirContext fhirContext = FhirContext.forR4Cached();

	/** The responses as JSON, in session order. */
	List<String> responses(String patient, String therapist, String encounter) {
		List<String> sessions = new ArrayList<>();
		for (int session = 0; session < SRS_TOTALS.length; session++) {
			sessions.add(json(srs(SRS, patient, day(session), SRS_TOTALS[session])));
		}
		for (int session = 0; session < ORS_TOTALS.length; session++) {
			sessions.add(json(srs(ORS, patient, day(session), ORS_TOTALS[session])));
		}
		int last = SRS_TOTALS.length;
		sessions.add(json(wav12("wav-12-client", patient, patient, day(last), encounter, "f4")));
		sessions.add(json(wav12("wav-12-therapist", patient, therapist, day(last), encounter, "f2")));
		return sessions;
	}

	/** An SRS (or ORS: the same four visual-analogue items) response with the given total. */
	QuestionnaireResponse srs(String questionnaire, String patient, String authored, double total) {
		QuestionnaireResponse response = fixture("srs");
		response.setQuestionnaire(questionnaire);
		response.getSubject().setReference(patient);
		response.getAuthor().setReference(patient);
		response.getAuthoredElement().setValueAsString(authored);
		BigDecimal quarter = BigDecimal.valueOf(total).divide(BigDecimal.valueOf(4), 1, RoundingMode.DOWN);
		BigDecimal last = BigDecimal.valueOf(total).subtract(quarter.multiply(BigDecimal.valueOf(3)));
		for (int i = 0; i < 4; i++) {
			response.getItem().get(i).getAnswerFirstRep().setValue(new DecimalType(i < 3 ? quarter : last));
		}
		return response;
	}

	String json(QuestionnaireResponse response) {
		return fhirContext.newJsonParser().encodeResourceToString(response);
	}

	static String day(int session) {
		return "2026-01-" + String.format("%02d", 1 + session) + "T10:00:00+01:00";
	}

	private QuestionnaireResponse wav12(
			String instrument, String patient, String author, String authored, String encounter, String code) {
		QuestionnaireResponse response = fixture(instrument);
		response.getSubject().setReference(patient);
		response.getAuthor().setReference(author);
		response.getAuthoredElement().setValueAsString(authored);
		response.getEncounter().setReference(encounter);
		response.getItem().stream()
				.filter(item -> item.getLinkId().startsWith("q"))
				.forEach(item ->
						item.getAnswerFirstRep().getValueCoding().setCode(code).setDisplay(null));
		return response;
	}

	private QuestionnaireResponse fixture(String instrument) {
		String path = "fixtures/" + instrument + "/QuestionnaireResponse-mixed.json";
		try (InputStream in = getClass().getClassLoader().getResourceAsStream(path)) {
			QuestionnaireResponse response = fhirContext
					.newJsonParser()
					.parseResource(QuestionnaireResponse.class, new String(in.readAllBytes(), StandardCharsets.UTF_8));
			response.setId((String) null);
			return response;
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
