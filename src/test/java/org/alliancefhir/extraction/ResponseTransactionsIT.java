package org.alliancefhir.extraction;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Responses stored through transaction and batch Bundles, concurrent and unchanged updates, and deletes keep their
 * score Observations exactly in step: all or nothing, one Observation per score, never a server error.
 */
class ResponseTransactionsIT extends ScoringIntegrationTest {

	private static final int THREADS = 8;
	private static final int ROUNDS = 4;

	@BeforeEach
	void clientWaitsForTheFirstValidation() {
		// the first response the server validates loads HAPI's validator: longer than the client's default 10 s
		fhirContext.getRestfulClientFactory().setSocketTimeout(60_000);
	}

	@Test
	void aTransactionCreatingAPatientAndAResponseAboutItScoresForTheStoredPatient() throws Exception {
		String patientUrn = "urn:uuid:" + UUID.randomUUID();
		Patient patient = new Patient();
		patient.addIdentifier().setSystem("urn:test").setValue(patientUrn);
		patient.setBirthDateElement(new DateType("1990-01-01"));
		QuestionnaireResponse response = fixture("srs", "mixed");
		response.setId((String) null);
		response.getSubject().setReference(patientUrn);
		response.getAuthor().setReference(patientUrn);
		Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		addPost(transaction, patientUrn, patient);
		addPost(transaction, "urn:uuid:" + UUID.randomUUID(), response);
		int patients = count("Patient");
		int responses = count("QuestionnaireResponse");
		int observations = count("Observation");

		HttpResponse<String> answer = post("", transaction);

		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		Bundle result = parse(Bundle.class, answer);
		assertThat(result.getType()).isEqualTo(Bundle.BundleType.TRANSACTIONRESPONSE);
		assertThat(result.getEntry())
				.extracting(e -> e.getResponse().getStatus())
				.containsExactly("201 Created", "201 Created");
		String patientId = location(result.getEntry().get(0));
		String responseId = location(result.getEntry().get(1));
		assertThat(patientId).startsWith("Patient/");
		assertThat(responseId).startsWith("QuestionnaireResponse/");
		QuestionnaireResponse stored = client().read()
				.resource(QuestionnaireResponse.class)
				.withId(responseId)
				.execute();
		assertThat(stored.getSubject().getReference()).isEqualTo(patientId);
		Observation score = onlyDerivedFrom(new IdType(responseId).getIdPart());
		assertThat(score.getSubject().getReference()).isEqualTo(patientId);
		assertThat(score.getPerformerFirstRep().getReference()).isEqualTo(patientId);
		assertThat(score.getDerivedFromFirstRep().getReference()).isEqualTo(responseId);
		assertThat(score.getValueQuantity().getValue()).isEqualByComparingTo("31.7");
		assertThat(count("Patient")).isEqualTo(patients + 1);
		assertThat(count("QuestionnaireResponse")).isEqualTo(responses + 1);
		assertThat(count("Observation")).isEqualTo(observations + 1);
	}

	@Test
	void aTransactionWithOneInvalidResponseIsRefusedAndStoresNothing() throws Exception {
		String patient = newPatient();
		Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		addPost(transaction, "urn:uuid:" + UUID.randomUUID(), newResponse(patient, "7.5"));
		addPost(transaction, "urn:uuid:" + UUID.randomUUID(), newResponse(patient, "11.5"));
		int responses = count("QuestionnaireResponse");
		int observations = count("Observation");

		HttpResponse<String> answer = post("", transaction);

		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
		OperationOutcome outcome = parse(OperationOutcome.class, answer);
		assertThat(outcome.getIssue()).hasSize(1);
		assertThat(outcome.getIssueFirstRep().getDiagnostics())
				.contains("'q1'", "11.5 is greater than the allowed maximum of 10");
		assertThat(count("QuestionnaireResponse")).isEqualTo(responses);
		assertThat(count("Observation")).isEqualTo(observations);
	}

	@Test
	void aBatchStoresTheValidResponseWithItsScoreAndReportsTheInvalidOnePerEntry() throws Exception {
		String patient = newPatient();
		Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
		addPost(batch, null, newResponse(patient, "7.5"));
		addPost(batch, null, newResponse(patient, "11.5"));
		int responses = count("QuestionnaireResponse");
		int observations = count("Observation");

		HttpResponse<String> answer = post("", batch);

		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		Bundle result = parse(Bundle.class, answer);
		assertThat(result.getType()).isEqualTo(Bundle.BundleType.BATCHRESPONSE);
		assertThat(result.getEntry())
				.extracting(e -> e.getResponse().getStatus())
				.containsExactly("201 Created", "422 Unprocessable Entity");
		OperationOutcome refused =
				(OperationOutcome) result.getEntry().get(1).getResponse().getOutcome();
		assertThat(refused.getIssue()).hasSize(1);
		assertThat(refused.getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
		assertThat(refused.getIssueFirstRep().getDiagnostics())
				.contains("'q1'", "11.5 is greater than the allowed maximum of 10");
		String storedId = new IdType(location(result.getEntry().get(0))).getIdPart();
		assertThat(onlyDerivedFrom(storedId).getValueQuantity().getValue()).isEqualByComparingTo("31.7");
		assertThat(count("QuestionnaireResponse")).isEqualTo(responses + 1);
		assertThat(count("Observation")).isEqualTo(observations + 1);
	}

	@Test
	void eightClientsUpdatingOneResponseAtOnceGetNoServerErrorAndLeaveOneScoreOfTheLastStoredVersion()
			throws Exception {
		String patient = newPatient();
		String id = create(newResponse(patient, "7.5"));
		ExecutorService pool = Executors.newFixedThreadPool(THREADS);
		CyclicBarrier start = new CyclicBarrier(THREADS);
		List<Integer> statuses = new ArrayList<>();
		try {
			for (int round = 0; round < ROUNDS; round++) {
				List<Future<Integer>> updates = new ArrayList<>();
				for (int thread = 0; thread < THREADS; thread++) {
					// q1 = thread.round: every update has different answers, none the stored 7.5
					String q1 = thread + "." + round;
					updates.add(pool.submit(() -> {
						start.await(30, TimeUnit.SECONDS);
						return put("/QuestionnaireResponse/" + id, storedVersion(id, patient, q1))
								.statusCode();
					}));
				}
				for (Future<Integer> update : updates) {
					statuses.add(update.get(60, TimeUnit.SECONDS));
				}
			}
		} finally {
			pool.shutdownNow();
		}

		assertThat(statuses)
				.as("statuses %s", statuses)
				.hasSize(THREADS * ROUNDS)
				.allMatch(s -> List.of(200, 201, 409, 412).contains(s));
		long updated = statuses.stream().filter(s -> s < 300).count();
		QuestionnaireResponse stored =
				client().read().resource(QuestionnaireResponse.class).withId(id).execute();
		assertThat(stored.getMeta().getVersionId()).isEqualTo(String.valueOf(1 + updated));
		BigDecimal total = stored.getItem().stream()
				.map(i -> i.getAnswerFirstRep().getValueDecimalType().getValue())
				.reduce(BigDecimal.ZERO, BigDecimal::add);
		Observation score = onlyDerivedFrom(id);
		assertThat(score.getValueQuantity().getValue()).isEqualByComparingTo(total);
		assertThat(score.getComponentFirstRep().getValueQuantity().getValue())
				.isEqualByComparingTo(stored.getItemFirstRep()
						.getAnswerFirstRep()
						.getValueDecimalType()
						.getValue());
		assertThat(score.getStatus()).isEqualTo(updated > 0 ? ObservationStatus.AMENDED : ObservationStatus.FINAL);
		assertThat(score.getMeta().getVersionId()).isEqualTo(String.valueOf(1 + updated));
	}

	@Test
	void anUnchangedPutOfACompletedResponseCreatesNoNewVersionOfItOrItsScore() throws Exception {
		String id = create(fixture("srs", "mixed"));
		Observation before = onlyDerivedFrom(id);
		QuestionnaireResponse asPosted = fixture("srs", "mixed");
		asPosted.setId(id);
		QuestionnaireResponse asRead =
				client().read().resource(QuestionnaireResponse.class).withId(id).execute();

		HttpResponse<String> samePosted = put("/QuestionnaireResponse/" + id, asPosted);
		HttpResponse<String> sameRead = put("/QuestionnaireResponse/" + id, asRead);

		assertThat(samePosted.statusCode()).as(samePosted.body()).isEqualTo(200);
		assertThat(sameRead.statusCode()).as(sameRead.body()).isEqualTo(200);
		assertThat(parse(QuestionnaireResponse.class, sameRead).getMeta().getVersionId())
				.isEqualTo("1");
		Bundle history = client().history()
				.onInstance("QuestionnaireResponse/" + id)
				.returnBundle(Bundle.class)
				.execute();
		assertThat(history.getTotal()).isEqualTo(1);
		Observation after = onlyDerivedFrom(id);
		assertThat(after.getIdElement().getIdPart())
				.isEqualTo(before.getIdElement().getIdPart());
		assertThat(after.getMeta().getVersionId()).isEqualTo("1");
		assertThat(after.getMeta().getLastUpdated()).isEqualTo(before.getMeta().getLastUpdated());
		assertThat(after.getStatus()).isEqualTo(ObservationStatus.FINAL);
	}

	@Test
	void deletingAResponseDeletesItsScoreObservations() throws Exception {
		String id = create(fixture("softa-o", "mixed"));
		List<Observation> scores = derivedFrom(id);
		assertThat(scores).hasSize(4);
		int responses = count("QuestionnaireResponse");
		int observations = count("Observation");

		HttpResponse<String> answer =
				send(request("/QuestionnaireResponse/" + id).DELETE());

		assertThat(answer.statusCode()).as(answer.body()).isIn(200, 204);
		assertThat(send(request("/QuestionnaireResponse/" + id)).statusCode()).isEqualTo(410);
		for (Observation score : scores) {
			assertThat(send(request("/Observation/" + score.getIdElement().getIdPart()))
							.statusCode())
					.as(score.getIdentifierFirstRep().getValue())
					.isIn(404, 410);
		}
		assertThat(derivedFrom(id)).isEmpty();
		assertThat(count("QuestionnaireResponse")).isEqualTo(responses - 1);
		// at least the scores: whatever the server derived from them goes with them
		assertThat(count("Observation")).isLessThanOrEqualTo(observations - scores.size());
	}

	@Test
	void anUpdateThatDropsAFamilyMemberDeletesThatMembersScoreAndAmendsNothingElse() throws Exception {
		String id = create(fixture("softa-o", "mixed"));
		List<Observation> before = derivedFrom(id);
		QuestionnaireResponse twoMembers = fixture("softa-o", "mixed");
		twoMembers.setId(id);
		List<QuestionnaireResponseItemComponent> members = twoMembers.getItem().stream()
				.filter(i -> "member".equals(i.getLinkId()))
				.toList();
		twoMembers.getItem().remove(members.get(2));

		HttpResponse<String> answer = put("/QuestionnaireResponse/" + id, twoMembers);

		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		String prefix = "QuestionnaireResponse/" + id + "/";
		assertThat(before)
				.extracting(o -> o.getIdentifierFirstRep().getValue())
				.containsExactlyInAnyOrder(
						prefix + "member/0", prefix + "member/1", prefix + "member/2", prefix + "purpose");
		List<Observation> after = derivedFrom(id);
		assertThat(after)
				.extracting(o -> o.getIdentifierFirstRep().getValue())
				.containsExactlyInAnyOrder(prefix + "member/0", prefix + "member/1", prefix + "purpose");
		assertThat(after).allSatisfy(o -> {
			assertThat(o.getMeta().getVersionId()).isEqualTo("1");
			assertThat(o.getStatus()).isEqualTo(ObservationStatus.FINAL);
		});
		Observation dropped = before.stream()
				.filter(o -> o.getIdentifierFirstRep().getValue().equals(prefix + "member/2"))
				.findFirst()
				.orElseThrow();
		assertThat(send(request("/Observation/" + dropped.getIdElement().getIdPart()))
						.statusCode())
				.isEqualTo(410);
	}

	/** A Patient of this test alone, so that no earlier score of another test is compared with this one's. */
	private String newPatient() {
		Patient patient = new Patient();
		patient.setBirthDateElement(new DateType("1990-05-17"));
		return client().create()
				.resource(patient)
				.execute()
				.getId()
				.toUnqualifiedVersionless()
				.getValue();
	}

	/** A new SRS response by and about the patient (7.5 + 8.2 + 6.9 + 9.1 = 31.7 when q1 is 7.5), without an id. */
	private QuestionnaireResponse newResponse(String patient, String q1) {
		QuestionnaireResponse response = fixture("srs", "mixed");
		response.setId((String) null);
		response.getSubject().setReference(patient);
		response.getAuthor().setReference(patient);
		response.getItemFirstRep().getAnswerFirstRep().setValue(new DecimalType(q1));
		return response;
	}

	private QuestionnaireResponse storedVersion(String id, String patient, String q1) {
		QuestionnaireResponse response = newResponse(patient, q1);
		response.setId(id);
		return response;
	}

	/** The entry's {@code Type/id}, without the version. */
	private static String location(BundleEntryComponent entry) {
		return new IdType(entry.getResponse().getLocation())
				.toUnqualifiedVersionless()
				.getValue();
	}

	private HttpResponse<String> post(String path, Resource resource) throws Exception {
		return send(request(path)
				.header("Content-Type", "application/fhir+json")
				.POST(HttpRequest.BodyPublishers.ofString(
						fhirContext.newJsonParser().encodeResourceToString(resource))));
	}

	private HttpResponse<String> put(String path, Resource resource) throws Exception {
		return send(request(path)
				.header("Content-Type", "application/fhir+json")
				.PUT(HttpRequest.BodyPublishers.ofString(
						fhirContext.newJsonParser().encodeResourceToString(resource))));
	}

	private <T extends Resource> T parse(Class<T> type, HttpResponse<String> answer) {
		return fhirContext.newJsonParser().parseResource(type, answer.body());
	}
}
