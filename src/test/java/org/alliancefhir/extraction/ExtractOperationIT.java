package org.alliancefhir.extraction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceOperationComponent;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SDC {@code $extract} returns the score Observations the server would store, as a transaction of conditional
 * updates, without storing anything; executing that transaction is refused, because only the server writes scores.
 *
 * @see <a href="https://hl7.org/fhir/uv/sdc/STU4/OperationDefinition-QuestionnaireResponse-extract.html">SDC $extract</a>
 */
class ExtractOperationIT extends ScoringIntegrationTest {

	private static final String CANONICAL =
			"http://hl7.org/fhir/uv/sdc/OperationDefinition/QuestionnaireResponse-extract";
	private static final String DERIVED_SCORE = "https://alliancefhir.org/fhir/identifier/derived-score";
	private static final String SRS = "https://alliancefhir.org/fhir/Questionnaire/srs|1.0.0";

	@BeforeEach
	void clientWaitsForTheFirstValidation() {
		// the first response the server validates loads HAPI's validator: longer than the client's default 10 s
		fhirContext.getRestfulClientFactory().setSocketTimeout(60_000);
	}

	@Test
	void extractingAnUnstoredResponseReturnsATransactionOfConditionalUpdatesAndStoresNothing() throws Exception {
		QuestionnaireResponse response = fixture("srs", "mixed");
		response.setId((String) null);
		int responses = count("QuestionnaireResponse");
		int observations = count("Observation");

		HttpResponse<String> answer = extract(response);

		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		Parameters result = parse(Parameters.class, answer);
		assertThat(result.getParameter()).extracting(p -> p.getName()).containsExactly("return", "issues");
		Bundle transaction = (Bundle) result.getParameter().get(0).getResource();
		assertThat(transaction.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
		assertThat(transaction.getEntry()).hasSize(1);
		BundleEntryComponent entry = transaction.getEntryFirstRep();
		Observation total = (Observation) entry.getResource();
		Identifier identifier = total.getIdentifierFirstRep();
		assertThat(identifier.getSystem()).isEqualTo(DERIVED_SCORE);
		assertThat(identifier.getValue()).matches("urn:uuid:[0-9a-f-]{36}/total");
		assertThat(entry.getFullUrl()).startsWith("urn:uuid:");
		assertThat(entry.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.PUT);
		assertThat(entry.getRequest().getUrl())
				.isEqualTo("Observation?identifier=" + DERIVED_SCORE + "|" + identifier.getValue());
		assertThat(total.getStatus()).isEqualTo(Observation.ObservationStatus.FINAL);
		assertThat(total.getCode().getCoding())
				.extracting(c -> c.getSystem(), c -> c.getCode())
				.containsExactly(tuple(SCORE_SYSTEM, "srs-total"), tuple("http://snomed.info/sct", "720482000"));
		assertThat(total.getValueQuantity().getValue()).isEqualByComparingTo("31.7");
		assertThat(total.getValueQuantity().getCode()).isEqualTo("{score}");
		assertThat(total.getComponent())
				.extracting(
						c -> c.getCode().getCodingFirstRep().getCode(),
						c -> c.getValueQuantity().getValue().toPlainString())
				.containsExactly(
						tuple("srs-relationship", "7.5"),
						tuple("srs-goals-topics", "8.2"),
						tuple("srs-approach", "6.9"),
						tuple("srs-overall", "9.1"));
		assertThat(total.getSubject().getReference()).isEqualTo(FIXTURE_PATIENT);
		assertThat(total.getDerivedFromFirstRep().getReference())
				.isEqualTo(
						identifier.getValue().substring(0, identifier.getValue().length() - "/total".length()));
		assertThat(total.getInterpretationFirstRep().getCodingFirstRep().getCode())
				.isEqualTo("L");
		OperationOutcome issues =
				(OperationOutcome) result.getParameter().get(1).getResource();
		assertThat(issues.getIssue())
				.extracting(i -> i.getSeverity(), i -> i.getDiagnostics())
				.containsExactly(tuple(IssueSeverity.INFORMATION, "1 score Observation(s) extracted from " + SRS));
		assertThat(count("QuestionnaireResponse")).isEqualTo(responses);
		assertThat(count("Observation")).isEqualTo(observations);
	}

	@Test
	void extractingAStoredResponseReturnsTheObservationsTheServerStored() throws Exception {
		String id = create(fixture("softa-o", "mixed"));
		Map<String, Observation> stored = byIdentifier(derivedFrom(id));
		int observations = count("Observation");

		HttpResponse<String> answer = send(request("/QuestionnaireResponse/" + id + "/$extract"));

		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		Bundle transaction =
				(Bundle) parse(Parameters.class, answer).getParameter().get(0).getResource();
		Map<String, Observation> extracted = byIdentifier(transaction.getEntry().stream()
				.map(e -> (Observation) e.getResource())
				.toList());
		assertThat(stored).hasSize(4);
		assertThat(extracted.keySet()).isEqualTo(stored.keySet());
		stored.forEach((identifier, observation) ->
				assertThat(scoreContent(extracted.get(identifier))).isEqualTo(scoreContent(observation)));
		assertThat(transaction.getEntry())
				.allSatisfy(e -> assertThat(e.getRequest().getUrl())
						.isEqualTo("Observation?identifier=" + DERIVED_SCORE + "|"
								+ ((Observation) e.getResource())
										.getIdentifierFirstRep()
										.getValue()));
		assertThat(count("Observation")).isEqualTo(observations);
	}

	@Test
	void extractingAnInvalidResponseIsRefusedWith422NamingTheItem() throws Exception {
		QuestionnaireResponse response = fixture("srs", "mixed");
		response.setId((String) null);
		response.getItem().get(1).getAnswerFirstRep().setValue(new DecimalType("11.5"));
		int observations = count("Observation");

		HttpResponse<String> answer = extract(response);

		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
		OperationOutcome outcome = parse(OperationOutcome.class, answer);
		assertThat(outcome.getIssue()).hasSize(1);
		assertThat(outcome.getIssueFirstRep().getSeverity()).isEqualTo(IssueSeverity.ERROR);
		assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(IssueType.INVALID);
		assertThat(outcome.getIssueFirstRep().getDiagnostics())
				.contains("'q2'", "11.5 is greater than the allowed maximum of 10");
		assertThat(outcome.getIssueFirstRep().getExpression())
				.extracting(e -> e.getValue())
				.containsExactly("QuestionnaireResponse.item[1].answer[0].value.ofType(decimal)");
		assertThat(count("Observation")).isEqualTo(observations);
	}

	@Test
	void extractingAnInProgressResponseReturnsAnEmptyTransactionAndSaysWhy() throws Exception {
		QuestionnaireResponse response = fixture("srs", "mixed");
		response.setId((String) null);
		response.setStatus(QuestionnaireResponseStatus.INPROGRESS);

		HttpResponse<String> answer = extract(response);

		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		Parameters result = parse(Parameters.class, answer);
		Bundle transaction = (Bundle) result.getParameter().get(0).getResource();
		assertThat(transaction.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
		assertThat(transaction.getEntry()).isEmpty();
		OperationOutcome issues =
				(OperationOutcome) result.getParameter().get(1).getResource();
		assertThat(issues.getIssue())
				.extracting(i -> i.getSeverity(), i -> i.getCode(), i -> i.getDiagnostics())
				.containsExactly(tuple(
						IssueSeverity.INFORMATION,
						IssueType.INFORMATIONAL,
						"The response is in-progress: only completed or amended responses have scores"));
	}

	@Test
	void extractingAResponseThatIsNotStoredGives404() throws Exception {
		HttpResponse<String> answer = send(request("/QuestionnaireResponse/never-stored/$extract"));

		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(404);
		assertThat(parse(OperationOutcome.class, answer).getIssueFirstRep().getDiagnostics())
				.contains("QuestionnaireResponse/never-stored");
	}

	@Test
	void theCapabilityStatementListsExtractOnQuestionnaireResponseWithTheSdcDefinition() {
		CapabilityStatement capabilities =
				client().capabilities().ofType(CapabilityStatement.class).execute();

		CapabilityStatementRestResourceComponent responses = capabilities.getRestFirstRep().getResource().stream()
				.filter(r -> "QuestionnaireResponse".equals(r.getType()))
				.findFirst()
				.orElseThrow();
		assertThat(responses.getOperation())
				.filteredOn(o -> "extract".equals(o.getName()))
				.extracting(CapabilityStatementRestResourceOperationComponent::getDefinition)
				.containsExactly(CANONICAL);
	}

	@Test
	void executingTheExtractedTransactionIsRefusedBecauseOnlyTheServerWritesScores() throws Exception {
		String id = create(fixture("srs", "mixed"));
		Observation before = onlyDerivedFrom(id);
		HttpResponse<String> extracted = send(request("/QuestionnaireResponse/" + id + "/$extract"));
		Bundle transaction = (Bundle)
				parse(Parameters.class, extracted).getParameter().get(0).getResource();
		assertThat(transaction.getEntry()).hasSize(1);
		int observations = count("Observation");

		HttpResponse<String> answer = post("", transaction);

		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
		OperationOutcome outcome = parse(OperationOutcome.class, answer);
		assertThat(outcome.getIssue()).hasSize(1);
		assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(IssueType.BUSINESSRULE);
		assertThat(outcome.getIssueFirstRep().getDiagnostics())
				.startsWith("Scores of QuestionnaireResponses are computed by this server")
				.contains("do not extract Observations yourself");
		assertThat(count("Observation")).isEqualTo(observations);
		Observation after = onlyDerivedFrom(id);
		assertThat(after.getMeta().getVersionId()).isEqualTo(before.getMeta().getVersionId());
	}

	private HttpResponse<String> extract(QuestionnaireResponse response) throws Exception {
		Parameters parameters = new Parameters();
		parameters.addParameter().setName("questionnaire-response").setResource(response);
		return post("/QuestionnaireResponse/$extract", parameters);
	}

	/** What a score says, without what differs between a stored and an extracted copy (id, meta, issued). */
	private String scoreContent(Observation observation) {
		Observation copy = observation.copy();
		copy.setId((String) null);
		copy.setMeta(null);
		copy.setIssuedElement(null);
		return fhirContext.newJsonParser().setPrettyPrint(true).encodeResourceToString(copy);
	}

	private static Map<String, Observation> byIdentifier(List<Observation> observations) {
		return observations.stream()
				.collect(Collectors.toMap(o -> o.getIdentifierFirstRep().getValue(), Function.identity()));
	}

	private HttpResponse<String> post(String path, Resource resource) throws Exception {
		return send(request(path)
				.header("Content-Type", "application/fhir+json")
				.POST(HttpRequest.BodyPublishers.ofString(
						fhirContext.newJsonParser().encodeResourceToString(resource))));
	}

	private <T extends Resource> T parse(Class<T> type, HttpResponse<String> answer) {
		return fhirContext.newJsonParser().parseResource(type, answer.body());
	}
}
