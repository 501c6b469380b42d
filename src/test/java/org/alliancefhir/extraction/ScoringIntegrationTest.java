package org.alliancefhir.extraction;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.gclient.ReferenceClientParam;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.alliancefhir.server.ServerIntegrationTest;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the scoring tests over HTTP: the people the fixtures refer to exist, fixtures are read from the test
 * classpath, and helpers read back what the server derived from a response, bypassing the search cache.
 */
abstract class ScoringIntegrationTest extends ServerIntegrationTest {

	static final String SCORE_SYSTEM = "https://alliancefhir.org/fhir/CodeSystem/alliance";
	static final String FIXTURE_PATIENT = "Patient/fixture-patient";

	@BeforeEach
	void fixturePeopleExist() {
		Patient patient = new Patient();
		patient.setId("fixture-patient");
		patient.setBirthDateElement(new DateType("1990-05-17"));
		client().update().resource(patient).execute();
		for (String id : List.of("fixture-therapist", "fixture-observer")) {
			Practitioner practitioner = new Practitioner();
			practitioner.setId(id);
			client().update().resource(practitioner).execute();
		}
		for (String id : List.of("fixture-mother", "fixture-father")) {
			RelatedPerson parent = new RelatedPerson();
			parent.setId(id);
			parent.getPatient().setReference(FIXTURE_PATIENT);
			client().update().resource(parent).execute();
		}
	}

	QuestionnaireResponse fixture(String instrument, String scenario) {
		String path = "fixtures/" + instrument + "/QuestionnaireResponse-" + scenario + ".json";
		try (InputStream in = getClass().getClassLoader().getResourceAsStream(path)) {
			assertThat(in).as(path).isNotNull();
			return fhirContext
					.newJsonParser()
					.parseResource(QuestionnaireResponse.class, new String(in.readAllBytes(), StandardCharsets.UTF_8));
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	String create(QuestionnaireResponse response) {
		MethodOutcome outcome = client().create().resource(response).execute();
		return outcome.getId().getIdPart();
	}

	List<Observation> derivedFrom(String responseId) {
		Bundle bundle = client().search()
				.forResource(Observation.class)
				.where(new ReferenceClientParam("derived-from").hasId("QuestionnaireResponse/" + responseId))
				.count(100)
				.cacheControl(new CacheControlDirective().setNoCache(true))
				.returnBundle(Bundle.class)
				.execute();
		return bundle.getEntry().stream()
				.map(e -> (Observation) e.getResource())
				.toList();
	}

	Observation onlyDerivedFrom(String responseId) {
		List<Observation> observations = derivedFrom(responseId);
		assertThat(observations).hasSize(1);
		return observations.get(0);
	}

	/** The number of stored resources of the type, once the feedback of everything stored so far is derived. */
	int count(String resourceType) {
		awaitFeedback();
		Bundle bundle = client().search()
				.forResource(resourceType)
				.summaryMode(ca.uhn.fhir.rest.api.SummaryEnum.COUNT)
				.cacheControl(new CacheControlDirective().setNoCache(true))
				.returnBundle(Bundle.class)
				.execute();
		return bundle.getTotal();
	}
}
