package org.alliancefhir.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.gclient.ICriterion;
import ca.uhn.fhir.rest.gclient.ReferenceClientParam;
import ca.uhn.fhir.rest.gclient.TokenClientParam;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import org.alliancefhir.server.ServerIntegrationTest;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;

/**
 * Base of the feedback tests over HTTP: builders for sessions of the instruments (from the fixtures, with chosen
 * answers, people, dates and encounters) and searches that bypass the search cache.
 */
abstract class FeedbackIntegrationTest extends ServerIntegrationTest {

	static final String FEEDBACK = "https://alliancefhir.org/fhir/CodeSystem/alliance-feedback";

	QuestionnaireResponseItemComponent member(String who, String engagement, String connection, String safety) {
		QuestionnaireResponseItemComponent member = new QuestionnaireResponseItemComponent().setLinkId("member");
		member.addItem().setLinkId("member-ref").addAnswer().setValue(new Reference(who));
		member.addItem().setLinkId("engagement-rating").addAnswer().setValue(rating(engagement));
		member.addItem().setLinkId("connection-rating").addAnswer().setValue(rating(connection));
		member.addItem().setLinkId("safety-rating").addAnswer().setValue(rating(safety));
		return member;
	}

	static Coding rating(String code) {
		return new Coding("https://alliancefhir.org/fhir/CodeSystem/softa-rating", code, null);
	}

	QuestionnaireResponse srs(String client, String authored, double total) {
		QuestionnaireResponse response = fixture("srs", "mixed");
		response.getSubject().setReference(client);
		response.getAuthor().setReference(client);
		response.getAuthoredElement().setValueAsString(authored);
		BigDecimal quarter = BigDecimal.valueOf(total).divide(BigDecimal.valueOf(4), 1, java.math.RoundingMode.DOWN);
		BigDecimal last = BigDecimal.valueOf(total).subtract(quarter.multiply(BigDecimal.valueOf(3)));
		for (int i = 0; i < 4; i++) {
			response.getItem().get(i).getAnswerFirstRep().setValue(new DecimalType(i < 3 ? quarter : last));
		}
		return response;
	}

	QuestionnaireResponse ors(String client, String authored, double total) {
		QuestionnaireResponse response = srs(client, authored, total);
		response.setQuestionnaire("https://alliancefhir.org/fhir/Questionnaire/ors|1.0.0");
		return response;
	}

	QuestionnaireResponse coded(
			String instrument, String subject, String author, String authored, String encounter, String code) {
		QuestionnaireResponse response = fixture(instrument, "mixed");
		response.getSubject().setReference(subject);
		response.getAuthor().setReference(author);
		response.getAuthoredElement().setValueAsString(authored);
		response.getEncounter().setReference(encounter);
		response.getItem().stream()
				.filter(i -> i.getLinkId().startsWith("q"))
				.forEach(i ->
						i.getAnswerFirstRep().getValueCoding().setCode(code).setDisplay(null));
		return response;
	}

	QuestionnaireResponse fixture(String instrument, String scenario) {
		String path = "fixtures/" + instrument + "/QuestionnaireResponse-" + scenario + ".json";
		try (InputStream in = getClass().getClassLoader().getResourceAsStream(path)) {
			return fhirContext
					.newJsonParser()
					.parseResource(QuestionnaireResponse.class, new String(in.readAllBytes(), StandardCharsets.UTF_8));
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	static String day(int session) {
		return "2026-0" + (1 + session / 28) + "-" + String.format("%02d", 1 + session % 28) + "T10:00:00+01:00";
	}

	String create(Resource resource) {
		return client().create().resource(resource).execute().getId().getIdPart();
	}

	String patient(String birthDate) {
		Patient patient = new Patient();
		patient.setBirthDateElement(new DateType(birthDate));
		return "Patient/" + create(patient);
	}

	String practitioner() {
		return "Practitioner/" + create(new Practitioner());
	}

	String relatedPerson(String patient) {
		RelatedPerson person = new RelatedPerson();
		person.getPatient().setReference(patient);
		return "RelatedPerson/" + create(person);
	}

	String encounter(String patient, String practitioner) {
		Encounter encounter = new Encounter();
		encounter.setStatus(Encounter.EncounterStatus.FINISHED);
		encounter
				.getClass_()
				.setSystem("http://terminology.hl7.org/CodeSystem/v3-ActCode")
				.setCode("AMB");
		encounter.getSubject().setReference(patient);
		encounter.addParticipant().getIndividual().setReference(practitioner);
		return "Encounter/" + create(encounter);
	}

	List<Observation> observations(String subject, String feedbackCode) {
		return search(
						Observation.class,
						"Observation",
						subject,
						new TokenClientParam("code").exactly().systemAndCode(FEEDBACK, feedbackCode))
				.stream()
				.sorted(Comparator.comparing(o -> o.getEffectiveDateTimeType().getValue()))
				.toList();
	}

	Observation singleObservation(String subject, String feedbackCode) {
		List<Observation> found = observations(subject, feedbackCode);
		assertThat(found).as(feedbackCode).hasSize(1);
		return found.get(0);
	}

	List<Task> tasks(String subject) {
		return search(Task.class, "Task", subject, null);
	}

	List<Flag> flags(String subject) {
		return search(Flag.class, "Flag", subject, null);
	}

	/** Searches once the feedback of everything stored so far has been derived. */
	<T extends Resource> List<T> search(Class<T> type, String name, String subject, ICriterion<?> code) {
		awaitFeedback();
		var query = client().search()
				.forResource(name)
				.where(new ReferenceClientParam("subject").hasId(subject))
				.count(200)
				.cacheControl(new CacheControlDirective().setNoCache(true));
		if (code != null) {
			query = query.and(code);
		}
		Bundle bundle = query.returnBundle(Bundle.class).execute();
		return bundle.getEntry().stream().map(e -> type.cast(e.getResource())).toList();
	}

	double scoreValue(Reference score) {
		return client().read()
				.resource(Observation.class)
				.withUrl(score.getReference())
				.execute()
				.getValueQuantity()
				.getValue()
				.doubleValue();
	}

	static String code(Task task) {
		return task.getCode().getCodingFirstRep().getCode();
	}

	static List<String> componentCodes(Observation observation) {
		return observation.getComponent().stream()
				.map(c -> c.getCode().getCodingFirstRep().getCode())
				.toList();
	}

	static BigDecimal component(Observation observation, String code) {
		return observation.getComponent().stream()
				.filter(c -> c.getCode().getCodingFirstRep().getCode().equals(code))
				.findFirst()
				.orElseThrow(() -> new AssertionError(
						code + " missing in " + observation.getCode().getText()))
				.getValueQuantity()
				.getValue();
	}
}
