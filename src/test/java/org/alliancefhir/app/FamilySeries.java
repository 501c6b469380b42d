package org.alliancefhir.app;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Type;

/**
 * A family in care with SRS, ORS, WAV-12 (client and therapist) and SOFTA-o series, stored through the REST API with
 * unique ids; the values and their scores are the ones the browser tests expect on the dashboard.
 */
final class FamilySeries {

	static final String SRS = "https://alliancefhir.org/fhir/Questionnaire/srs|1.0.0";
	static final String SOFTA_O = "https://alliancefhir.org/fhir/Questionnaire/softa-o|1.0.0";
	private static final String QUESTIONNAIRE = "https://alliancefhir.org/fhir/Questionnaire/";
	private static final String WAV_FREQUENCY = "https://alliancefhir.org/fhir/CodeSystem/wav-frequency";
	private static final String SOFTA_RATING = "https://alliancefhir.org/fhir/CodeSystem/softa-rating";

	final String patient;
	final String mother;
	final String father;
	final String uncle;
	final String therapist;

	private final IGenericClient client;

	private FamilySeries(IGenericClient client, String prefix) {
		this.client = client;
		this.patient = "Patient/" + prefix;
		this.mother = "RelatedPerson/" + prefix + "-mother";
		this.father = "RelatedPerson/" + prefix + "-father";
		this.uncle = "RelatedPerson/" + prefix + "-uncle";
		this.therapist = "Practitioner/" + prefix + "-therapist";
	}

	/** Stores the family and, per session, its SRS (37.8, 36.6, 33.8), ORS (19, 27), WAV-12 and SOFTA-o responses. */
	static FamilySeries store(IGenericClient client) {
		FamilySeries family =
				new FamilySeries(client, "app-" + UUID.randomUUID().toString().substring(0, 8));
		family.storePeople();
		family.storeSessions();
		return family;
	}

	String patientId() {
		return patient.substring("Patient/".length());
	}

	private void storePeople() {
		Patient child = new Patient().setBirthDateElement(new DateType("2009-03-14"));
		child.addName().setFamily("Jansen").addGiven("Sam");
		client.update().resource(child.setId(patient)).execute();
		for (String[] person :
				List.of(new String[] {mother, "Moeder"}, new String[] {father, "Vader"}, new String[] {uncle, "Oom"})) {
			RelatedPerson related = new RelatedPerson().setPatient(new Reference(patient));
			related.addName().setText(person[1]);
			client.update().resource(related.setId(person[0])).execute();
		}
		Practitioner practitioner = new Practitioner();
		practitioner.addName().setText("Hulpverlener");
		client.update().resource(practitioner.setId(therapist)).execute();
	}

	private void storeSessions() {
		post("srs", "2026-10-02T16:00:00+02:00", patient, vas(9.5, 9.4, 9.5, 9.4));
		post("srs", "2026-10-09T16:00:00+02:00", patient, vas(9.2, 9.0, 9.3, 9.1));
		post("srs", "2026-10-16T16:00:00+02:00", patient, vas(8.0, 8.5, 8.7, 8.6));
		post("ors", "2026-10-02T15:10:00+02:00", patient, vas(4.0, 5.0, 5.5, 4.5));
		post("ors", "2026-10-16T15:10:00+02:00", patient, vas(6.5, 7.0, 6.0, 7.5));
		post("wav-12-client", "2026-10-02T16:05:00+02:00", patient, wav(4, 4, 5, 4, 5, 4, 5, 4, 4, 4, 4, 4));
		post("wav-12-client", "2026-10-16T16:05:00+02:00", patient, wav(3, 3, 4, 3, 4, 3, 4, 3, 3, 3, 3, 3));
		post("wav-12-therapist", "2026-10-16T16:30:00+02:00", therapist, wav(4, 4, 5, 4, 5, 4, 5, 4, 4, 4, 4, 4));
		post(
				"softa-o",
				"2026-10-02T17:00:00+02:00",
				therapist,
				List.of(
						member(patient, "1", "1.5", "1"),
						member(mother, "2", "2", "1.5"),
						member(father, "0.5", "1", "0.5"),
						rating("purpose-rating", "1")));
		post(
				"softa-o",
				"2026-10-16T17:00:00+02:00",
				therapist,
				List.of(
						member(patient, "1.5", "2", "1"),
						member(mother, "2", "2.5", "2"),
						member(father, "-1", "-0.5", "-1"),
						rating("purpose-rating", "0.5")));
	}

	private void post(
			String questionnaire, String authored, String author, List<QuestionnaireResponseItemComponent> items) {
		QuestionnaireResponse response = new QuestionnaireResponse()
				.setQuestionnaire(QUESTIONNAIRE + questionnaire + "|1.0.0")
				.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED)
				.setSubject(new Reference(patient))
				.setAuthor(new Reference(author))
				.setAuthoredElement(new DateTimeType(authored));
		items.forEach(response::addItem);
		client.create().resource(response).execute();
	}

	private static List<QuestionnaireResponseItemComponent> vas(double... values) {
		return IntStream.range(0, values.length)
				.mapToObj(i -> item("q" + (i + 1)).addAnswer(answer(new DecimalType(BigDecimal.valueOf(values[i])))))
				.toList();
	}

	private static List<QuestionnaireResponseItemComponent> wav(int... frequencies) {
		return IntStream.range(0, frequencies.length)
				.mapToObj(i ->
						item("q" + (i + 1)).addAnswer(answer(new Coding(WAV_FREQUENCY, "f" + frequencies[i], null))))
				.toList();
	}

	private static QuestionnaireResponseItemComponent member(
			String who, String engagement, String connection, String safety) {
		QuestionnaireResponseItemComponent group = item("member");
		group.addItem(item("member-ref").addAnswer(answer(new Reference(who))));
		group.addItem(rating("engagement-rating", engagement));
		group.addItem(rating("connection-rating", connection));
		group.addItem(rating("safety-rating", safety));
		return group;
	}

	private static QuestionnaireResponseItemComponent rating(String linkId, String code) {
		return item(linkId).addAnswer(answer(new Coding(SOFTA_RATING, code, null)));
	}

	private static QuestionnaireResponseItemComponent item(String linkId) {
		return new QuestionnaireResponseItemComponent().setLinkId(linkId);
	}

	private static QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent answer(Type value) {
		return new QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent().setValue(value);
	}
}
