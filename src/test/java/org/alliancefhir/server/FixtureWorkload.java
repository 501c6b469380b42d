package org.alliancefhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;

/**
 * Completed fixture responses of every instrument, ready to post with a unique identifier each, and the people
 * they refer to; also learns, once per database, how many score Observations each instrument derives.
 */
final class FixtureWorkload {

	static final List<String> INSTRUMENTS = List.of(
			"srs",
			"ors",
			"cors",
			"csrs",
			"gsrs",
			"wav-12-client",
			"wav-12-therapist",
			"softa-s-client",
			"softa-s-therapist",
			"softa-o");
	static final String IDENTIFIER_SYSTEM = "urn:alliancefhir:robustness";
	static final String SUBJECT = "Patient/fixture-patient";

	private final FhirContext fhirContext = FhirContext.forR4Cached();
	private final Map<String, QuestionnaireResponse> mixed = new LinkedHashMap<>();
	private final Map<String, QuestionnaireResponse> amended = new LinkedHashMap<>();
	private final Map<String, String> warmUp = new LinkedHashMap<>();

	FixtureWorkload() {
		for (String instrument : INSTRUMENTS) {
			mixed.put(instrument, read(instrument, "mixed"));
			QuestionnaireResponse maximum = read(instrument, "all-maximum");
			maximum.setStatus(QuestionnaireResponseStatus.AMENDED);
			amended.put(instrument, maximum);
		}
	}

	/** Creates the people the fixtures refer to (ids as in {@code fixtures/README.md}). */
	void createPeople(RawFhirClient fhir) throws IOException, InterruptedException {
		fhir.store(
				"/Patient/fixture-patient",
				"{\"resourceType\":\"Patient\",\"id\":\"fixture-patient\",\"birthDate\":\"1990-05-17\"}");
		for (String id : List.of("fixture-therapist", "fixture-observer")) {
			fhir.store("/Practitioner/" + id, "{\"resourceType\":\"Practitioner\",\"id\":\"" + id + "\"}");
		}
		for (String id : List.of("fixture-mother", "fixture-father")) {
			fhir.store(
					"/RelatedPerson/" + id,
					"{\"resourceType\":\"RelatedPerson\",\"id\":\"" + id + "\",\"patient\":{\"reference\":\"" + SUBJECT
							+ "\"}}");
		}
	}

	/**
	 * Posts one response per instrument, one after the other (a fresh schema must not meet concurrent first writes,
	 * fhir-notes 10.5), and returns the number of score Observations each questionnaire canonical derives.
	 */
	Map<String, Integer> learnScoresPerQuestionnaire(RawFhirClient fhir) throws IOException, InterruptedException {
		Map<String, Integer> scores = new LinkedHashMap<>();
		for (String instrument : INSTRUMENTS) {
			UUID identifier = UUID.randomUUID();
			HttpResponse<String> created = fhir.post("/QuestionnaireResponse", create(instrument, identifier));
			assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
			String id = idFromLocation(created);
			warmUp.put(identifier.toString(), id);
			Bundle derived = fhir.parse(
					Bundle.class,
					fhir.get("/Observation?derived-from=QuestionnaireResponse/" + id + "&_summary=count")
							.body());
			scores.put(mixed.get(instrument).getQuestionnaire(), derived.getTotal());
		}
		assertThat(scores.values()).as("score Observations per instrument").allMatch(n -> n > 0);
		return scores;
	}

	/** The responses {@link #learnScoresPerQuestionnaire} stored: ids by identifier value. */
	Map<String, String> warmUp() {
		return Map.copyOf(warmUp);
	}

	/** The instrument's {@code mixed} response as JSON, identified by {@code identifier}. */
	String create(String instrument, UUID identifier) {
		QuestionnaireResponse response = mixed.get(instrument).copy();
		response.getIdentifier().setSystem(IDENTIFIER_SYSTEM).setValue(identifier.toString());
		return fhirContext.newJsonParser().encodeResourceToString(response);
	}

	/** The stored response {@code id} with its answers changed to the instrument's maxima, as {@code amended}; same identifier. */
	String amend(String instrument, String id, UUID identifier) {
		QuestionnaireResponse response = amended.get(instrument).copy();
		response.setId(id);
		response.getIdentifier().setSystem(IDENTIFIER_SYSTEM).setValue(identifier.toString());
		return fhirContext.newJsonParser().encodeResourceToString(response);
	}

	static String idFromLocation(HttpResponse<String> created) {
		String location = created.headers().firstValue("Location").orElseThrow();
		String[] parts = location.split("/");
		return parts[parts.length - 3];
	}

	static String identifier(QuestionnaireResponse response) {
		return response.getIdentifier().getValue();
	}

	private QuestionnaireResponse read(String instrument, String scenario) {
		String path = "fixtures/" + instrument + "/QuestionnaireResponse-" + scenario + ".json";
		try (InputStream in = getClass().getClassLoader().getResourceAsStream(path)) {
			if (in == null) {
				throw new IllegalStateException("No fixture " + path);
			}
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
