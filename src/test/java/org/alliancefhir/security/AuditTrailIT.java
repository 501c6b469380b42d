package org.alliancefhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.alliancefhir.outbox.AuditOutbox;
import org.alliancefhir.outbox.FeedbackOutbox;
import org.alliancefhir.server.ServerIntegrationTest;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Auditors find who wrote, read and searched alliance data, and were refused, as AuditEvents searchable by entity,
 * patient, client and subject; every scoring activity has a Provenance linking the responses to the scores it derived.
 */
class AuditTrailIT extends SecuredServerIntegrationTest {

	private static final String WRITER_SCOPES = "patient/QuestionnaireResponse.cr";

	private static String patient;

	@BeforeAll
	static void aPatient() {
		patient = newPatient();
	}

	@Test
	void storingAResponseAuditsItsCreationAndTheDerivedScoreAsTheCallers() {
		String token = patientToken(patient, WRITER_SCOPES);
		String response = idFromLocation(post("/QuestionnaireResponse", srsResponse(patient, patient), token));
		String score = onlyScoreOf(response).getIdPart();

		AuditEvent responseCreated = onlyEvent("entity=QuestionnaireResponse/" + response + "&action=C");
		assertThat(responseCreated.getOutcome()).isEqualTo(AuditEventOutcome._0);
		assertThat(responseCreated.getSubtypeFirstRep().getCode()).isEqualTo("create");
		assertThat(requestor(responseCreated).getAltId()).isEqualTo("parent-of-" + patient);
		assertThat(requestor(responseCreated).getWho().getIdentifier().getSystem())
				.isEqualTo(TestKeys.ISSUER);
		assertThat(source(responseCreated).getWho().getReference()).startsWith("Device/client-");
		assertThat(source(responseCreated).getWho().getIdentifier().getValue()).isEqualTo(TestKeys.CLIENT_ID);
		assertThat(responseCreated.getEntity())
				.extracting(e -> e.getWhat().getReference())
				.contains("Patient/" + patient);
		assertThat(Duration.between(responseCreated.getRecorded().toInstant(), Instant.now()))
				.isLessThan(Duration.ofMinutes(1));

		AuditEvent scoreCreated = onlyEvent("entity=Observation/" + score + "&action=C");
		assertThat(source(scoreCreated).getWho().getDisplay()).isEqualTo("Alliance FHIR Server");
		assertThat(requestor(scoreCreated).getAltId()).isEqualTo("parent-of-" + patient);
	}

	@Test
	void aTransactionIsAuditedAsOneEventPerKindOfWriteNamingEveryResource() {
		String other = newPatient();
		List<String> responses = storedTransaction(patient, other);
		AuditEvent created = onlyEvent("entity=" + responses.get(0) + "&action=C");
		assertThat(created.getEntity())
				.extracting(e -> e.getWhat().getReference())
				.containsExactlyInAnyOrder(
						responses.get(0), responses.get(1), "Patient/" + patient, "Patient/" + other);
		assertThat(onlyEvent("entity=" + responses.get(1) + "&action=C").getIdPart())
				.isEqualTo(created.getIdPart());
		String firstScore = "Observation/"
				+ onlyScoreOf(new IdType(responses.get(0)).getIdPart()).getIdPart();
		String secondScore = "Observation/"
				+ onlyScoreOf(new IdType(responses.get(1)).getIdPart()).getIdPart();
		AuditEvent derived = onlyEvent("entity=" + firstScore + "&action=C");
		assertThat(source(derived).getWho().getDisplay()).isEqualTo("Alliance FHIR Server");
		assertThat(derived.getEntity())
				.extracting(e -> e.getWhat().getReference())
				.contains(firstScore, secondScore, "Patient/" + patient, "Patient/" + other)
				.doesNotHaveDuplicates();
	}

	@Test
	void readingAndSearchingWithATokenAreAudited() {
		String response = storedResponse(patient);
		String staff = keys().rs256(TestKeys.claims("therapist-7", "user/*.rs").build());

		assertThat(get("/QuestionnaireResponse/" + response, staff).statusCode())
				.isEqualTo(200);
		search("Observation?subject=Patient/" + patient, staff);

		AuditEvent read = onlyEvent("entity=QuestionnaireResponse/" + response + "&action=R&altid=therapist-7");
		assertThat(read.getSubtypeFirstRep().getCode()).isEqualTo("read");
		AuditEvent query = onlyEvent("patient=Patient/" + patient + "&action=E&altid=therapist-7");
		assertThat(query.getSubtypeFirstRep().getCode()).isEqualTo("search-type");
		assertThat(query.getEntity())
				.filteredOn(e -> e.hasQuery())
				.singleElement()
				.satisfies(e -> assertThat(new String(e.getQuery(), StandardCharsets.UTF_8))
						.contains("Observation?subject=Patient/" + patient));
	}

	@Test
	void aRefusedReadIsAuditedAsAFailure() {
		String otherPatientsResponse = storedResponse(newPatient());
		String token = patientToken(patient, "patient/*.read");

		assertThat(get("/QuestionnaireResponse/" + otherPatientsResponse, token).statusCode())
				.isEqualTo(403);

		AuditEvent refused = onlyEvent("entity-name:exact=QuestionnaireResponse/" + otherPatientsResponse);
		assertThat(refused.getOutcome()).isEqualTo(AuditEventOutcome._4);
		assertThat(refused.getAction()).isEqualTo(AuditEventAction.R);
		assertThat(requestor(refused).getAltId()).isEqualTo("parent-of-" + patient);
	}

	@Test
	void anAuditorFindsEverythingAClientDidThroughItsDevice() {
		String token = patientToken(patient, WRITER_SCOPES);
		String response = idFromLocation(post("/QuestionnaireResponse", srsResponse(patient, patient), token));

		List<AuditEvent> byClient =
				events("agent:Device.identifier=https://alliancefhir.org/fhir/identifier/oauth-client%7C"
						+ TestKeys.CLIENT_ID + "&entity=QuestionnaireResponse/" + response);
		assertThat(byClient).hasSize(1);
	}

	@Test
	void aScoredResponseHasAProvenanceFromTheResponseToItsScores() {
		String response = storedResponse(patient);
		Observation score = onlyScoreOf(response);

		Provenance provenance = onlyProvenanceOf(response);
		assertThat(provenance.getTarget())
				.extracting(Reference::getReference)
				.containsExactly("Observation/" + score.getIdPart());
		assertThat(provenance.getEntityFirstRep().getRole()).isEqualTo(Provenance.ProvenanceEntityRole.SOURCE);
		assertThat(provenance.getEntityFirstRep().getWhat().getReference())
				.isEqualTo("QuestionnaireResponse/" + response);
		assertThat(provenance.getAgentFirstRep().getWho().getDisplay()).isEqualTo("Alliance FHIR Server");
		assertThat(provenance.getAgentFirstRep().getType().getCodingFirstRep().getCode())
				.isEqualTo("assembler");
		assertThat(Duration.between(provenance.getRecorded().toInstant(), Instant.now()))
				.isLessThan(Duration.ofMinutes(1));
	}

	@Test
	void aTransactionOfResponsesIsOneActivityWithOneProvenanceAndDeletingOneResponseLeavesTheOthers() {
		String other = newPatient();
		List<String> responses = storedTransaction(patient, other);
		String first = new IdType(responses.get(0)).getIdPart();
		String second = new IdType(responses.get(1)).getIdPart();
		String firstScore = "Observation/" + onlyScoreOf(first).getIdPart();
		String secondScore = "Observation/" + onlyScoreOf(second).getIdPart();

		Provenance activity = onlyProvenanceOf(first);
		assertThat(onlyProvenanceOf(second).getIdPart()).isEqualTo(activity.getIdPart());
		assertThat(activity.getTarget()).extracting(Reference::getReference).containsExactly(firstScore, secondScore);
		assertThat(activity.getEntity())
				.extracting(e -> e.getWhat().getReference())
				.containsExactly(responses.get(0), responses.get(1));

		assertThat(delete("/QuestionnaireResponse/" + first, systemToken()).statusCode())
				.isEqualTo(200);

		Provenance remaining = onlyProvenanceOf(second);
		assertThat(remaining.getIdPart()).isEqualTo(activity.getIdPart());
		assertThat(remaining.getTarget()).extracting(Reference::getReference).containsExactly(secondScore);
		assertThat(remaining.getEntity())
				.extracting(e -> e.getWhat().getReference())
				.containsExactly(responses.get(1));
		assertThat(provenancesOf(first)).isEmpty();
	}

	@Test
	void amendingAResponseIsANewActivityAndTheFirstProvenanceStays() {
		String response = storedResponse(patient);
		String score = "Observation/" + onlyScoreOf(response).getIdPart();
		Provenance scored = onlyProvenanceOf(response);
		QuestionnaireResponse amended =
				parse(QuestionnaireResponse.class, get("/QuestionnaireResponse/" + response, systemToken()));
		amended.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.AMENDED);
		amended.getItemFirstRep().getAnswerFirstRep().setValue(new DecimalType("1.0"));

		assertThat(put("/QuestionnaireResponse/" + response, amended, systemToken())
						.statusCode())
				.isEqualTo(200);

		List<Provenance> activities = provenancesOf(response);
		assertThat(activities).hasSize(2);
		assertThat(activities).allSatisfy(p -> assertThat(p.getTarget())
				.extracting(Reference::getReference)
				.containsExactly(score));
		Provenance rescored = activities.stream()
				.filter(p -> !p.getIdPart().equals(scored.getIdPart()))
				.findFirst()
				.orElseThrow();
		assertThat(rescored.getRecorded()).isAfterOrEqualTo(scored.getRecorded());
		assertThat(onlyScoreOf(response).getStatus()).isEqualTo(Observation.ObservationStatus.AMENDED);
	}

	@Test
	void deletingAResponseKeepsItsAuditTrailAndRemovesItsProvenance() {
		String response = storedResponse(patient);
		String created = onlyEvent("entity=QuestionnaireResponse/" + response + "&action=C")
				.getIdPart();

		HttpResponse<String> deleted = delete("/QuestionnaireResponse/" + response, systemToken());

		assertThat(deleted.statusCode()).isEqualTo(200);
		assertThat(get("/AuditEvent/" + created, systemToken()).statusCode()).isEqualTo(200);
		assertThat(onlyEvent("entity-name:exact=QuestionnaireResponse/" + response + "&action=D"))
				.isNotNull();
		assertThat(provenancesOf(response)).isEmpty();
	}

	/** Posts a transaction Bundle of one SRS response per patient; the stored responses' references, in order. */
	private static List<String> storedTransaction(String... patients) {
		Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		for (String subject : patients) {
			transaction
					.addEntry()
					.setFullUrl("urn:uuid:" + UUID.randomUUID())
					.setResource(srsResponse(subject, subject))
					.getRequest()
					.setMethod(Bundle.HTTPVerb.POST)
					.setUrl("QuestionnaireResponse");
		}
		Bundle stored = parse(Bundle.class, post("", transaction, systemToken()));
		return stored.getEntry().stream()
				.map(e -> new IdType(e.getResponse().getLocation())
						.toUnqualifiedVersionless()
						.getValue())
				.toList();
	}

	private static List<Provenance> provenancesOf(String response) {
		return search("Provenance?entity=QuestionnaireResponse/" + response, systemToken()).getEntry().stream()
				.map(e -> (Provenance) e.getResource())
				.toList();
	}

	private static Provenance onlyProvenanceOf(String response) {
		List<Provenance> provenances = provenancesOf(response);
		assertThat(provenances).hasSize(1);
		return provenances.get(0);
	}

	private static Observation onlyScoreOf(String response) {
		List<Observation> scores =
				search("Observation?derived-from=QuestionnaireResponse/" + response, systemToken()).getEntry().stream()
						.map(e -> (Observation) e.getResource())
						.toList();
		assertThat(scores).hasSize(1);
		return scores.get(0);
	}

	/** The AuditEvents the query finds, once the outboxes have stored every event of what was written so far. */
	private static List<AuditEvent> events(String query) {
		ServerIntegrationTest.awaitOutboxes(
				secured.server.bean(FeedbackOutbox.class), secured.server.bean(AuditOutbox.class));
		return search("AuditEvent?" + query, systemToken()).getEntry().stream()
				.map(e -> (AuditEvent) e.getResource())
				.toList();
	}

	private static AuditEvent onlyEvent(String query) {
		List<AuditEvent> events = events(query);
		assertThat(events).as(query).hasSize(1);
		return events.get(0);
	}

	private static AuditEventAgentComponent requestor(AuditEvent event) {
		return event.getAgent().stream()
				.filter(AuditEventAgentComponent::getRequestor)
				.findFirst()
				.orElseThrow();
	}

	private static AuditEventAgentComponent source(AuditEvent event) {
		return event.getAgent().stream()
				.filter(a -> "110153".equals(a.getType().getCodingFirstRep().getCode()))
				.findFirst()
				.orElseThrow();
	}
}
