package org.alliancefhir.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;

/**
 * The request bodies of the benchmark: completed responses of every instrument (the {@code mixed} fixture of each,
 * in turn) for a pool of patients, the same with the client's own score Observations in a transaction, Bundles of
 * many responses. Bodies are JSON templates filled in by string replacement, so the client stays cheap.
 */
final class Workload {

	/** Every instrument with fixtures (a folder in {@code src/test/resources/fixtures}), in name order. */
	static final List<String> INSTRUMENTS = instrumentsWithFixtures();

	private static final String SUBJECT = "__SUBJECT__";
	private static final String RESPONSE_URN = "__RESPONSE_URN__";
	private static final String AUTHORED = "2000-01-01T00:00:00+01:00";
	private static final FhirContext FHIR = FhirContext.forR4Cached();

	private final int patients;
	private final List<String> responses = new ArrayList<>();
	private final List<String> clientScored = new ArrayList<>();

	Workload(int patients) {
		this.patients = patients;
		for (String instrument : INSTRUMENTS) {
			QuestionnaireResponse response = fixture(instrument);
			response.getSubject().setReference(SUBJECT);
			response.setEncounter(null);
			response.getAuthoredElement().setValueAsString(AUTHORED);
			responses.add(json().encodeResourceToString(response));
		}
	}

	/** Creates the people the fixtures refer to and the patients {@code bench-0…} that answer the responses. */
	void createPeople(HttpDriver http) {
		Bundle people = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		Patient fixturePatient = new Patient();
		fixturePatient.setBirthDateElement(new DateType("1990-05-17"));
		put(people, "Patient/fixture-patient", fixturePatient);
		put(people, "Practitioner/fixture-therapist", new Practitioner());
		put(people, "Practitioner/fixture-observer", new Practitioner());
		for (String parent : List.of("fixture-mother", "fixture-father")) {
			RelatedPerson person = new RelatedPerson();
			person.getPatient().setReference("Patient/fixture-patient");
			put(people, "RelatedPerson/" + parent, person);
		}
		for (int p = 0; p < patients; p++) {
			Patient patient = new Patient();
			patient.setBirthDateElement(new DateType(1950 + p % 60 + "-03-01"));
			put(people, "Patient/bench-" + p, patient);
		}
		http.send(http.post("", json().encodeResourceToString(people)));
	}

	/**
	 * Asks the server's {@code $extract} once per instrument for the score Observations, so the "client-side scoring"
	 * variant can post them beside the response as a client that scores itself would.
	 */
	void prepareClientScores(HttpDriver http) {
		for (int i = 0; i < INSTRUMENTS.size(); i++) {
			QuestionnaireResponse response = fixture(INSTRUMENTS.get(i));
			List<Observation> scores = extract(http, response);
			response.getSubject().setReference(SUBJECT);
			Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
			bundle.addEntry()
					.setFullUrl(RESPONSE_URN)
					.setResource(response)
					.getRequest()
					.setMethod(Bundle.HTTPVerb.POST)
					.setUrl("QuestionnaireResponse");
			for (int k = 0; k < scores.size(); k++) {
				Observation score = scores.get(k);
				score.setId((String) null);
				score.getSubject().setReference(SUBJECT);
				score.getDerivedFrom().clear();
				score.addDerivedFrom(new Reference(RESPONSE_URN));
				score.getIdentifierFirstRep().setValue(RESPONSE_URN + "/" + k);
				bundle.addEntry()
						.setResource(score)
						.getRequest()
						.setMethod(Bundle.HTTPVerb.POST)
						.setUrl("Observation");
			}
			clientScored.add(json().encodeResourceToString(bundle));
		}
	}

	/**
	 * The i-th completed response: instrument {@code i mod 10}, patient {@code i mod patients}, authored on day
	 * {@code i / patients} after 2020-01-01, so each patient answers one questionnaire per session (a day without an
	 * Encounter), as in care: with all of a patient's responses in one session, the split-alliance rules would read
	 * and rewrite an ever larger session on every POST.
	 */
	String response(int i) {
		return responses
				.get(i % responses.size())
				.replace(SUBJECT, subject(i))
				.replace(AUTHORED, LocalDate.of(2020, 1, 1).plusDays(i / patients) + "T10:00:00+01:00");
	}

	/** The i-th response with its score Observations, as a transaction Bundle. */
	String clientScoredBundle(int i) {
		return clientScored
				.get(i % clientScored.size())
				.replace(SUBJECT, subject(i))
				.replace(RESPONSE_URN, "urn:uuid:" + UUID.randomUUID());
	}

	/** A transaction Bundle that creates responses {@code first … first+size-1}. */
	String bulkBundle(int first, int size) {
		StringBuilder bundle = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
		for (int i = first; i < first + size; i++) {
			bundle.append(i == first ? "" : ",")
					.append("{\"fullUrl\":\"urn:uuid:")
					.append(UUID.randomUUID())
					.append("\",\"resource\":")
					.append(response(i))
					.append(",\"request\":{\"method\":\"POST\",\"url\":\"QuestionnaireResponse\"}}");
		}
		return bundle.append("]}").toString();
	}

	static List<Observation> extract(HttpDriver http, QuestionnaireResponse response) {
		Parameters input = new Parameters();
		input.addParameter().setName("questionnaire-response").setResource(response);
		String output =
				http.send(http.postForBody("/QuestionnaireResponse/$extract", json().encodeResourceToString(input)));
		Parameters result = json().parseResource(Parameters.class, output);
		Bundle bundle = (Bundle) result.getParameter("return").getResource();
		return bundle.getEntry().stream()
				.map(e -> (Observation) e.getResource())
				.toList();
	}

	private static List<String> instrumentsWithFixtures() {
		try (Stream<Path> folders = Files.list(Path.of("src", "test", "resources", "fixtures"))) {
			return folders.filter(Files::isDirectory)
					.map(folder -> folder.getFileName().toString())
					.sorted()
					.toList();
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	static QuestionnaireResponse fixture(String instrument) {
		String path = "fixtures/" + instrument + "/QuestionnaireResponse-mixed.json";
		try (InputStream in = Workload.class.getClassLoader().getResourceAsStream(path)) {
			if (in == null) {
				throw new IllegalStateException("no fixture " + path);
			}
			QuestionnaireResponse response = json().parseResource(
							QuestionnaireResponse.class, new String(in.readAllBytes(), StandardCharsets.UTF_8));
			response.setId((String) null);
			return response;
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	static IParser json() {
		return FHIR.newJsonParser();
	}

	static void put(Bundle bundle, String id, Resource resource) {
		resource.setId(id);
		bundle.addEntry()
				.setResource(resource)
				.getRequest()
				.setMethod(Bundle.HTTPVerb.PUT)
				.setUrl(id);
	}

	private String subject(int i) {
		return "Patient/bench-" + i % patients;
	}
}
