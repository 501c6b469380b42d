package org.alliancefhir.extraction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a response can be wrong is refused over raw HTTP, by POST and by PUT over a stored completed response,
 * with an OperationOutcome that names the problem and the item, and nothing of it is stored.
 */
class ResponseRejectionIT extends ScoringIntegrationTest {

	private static final String SRS = "https://alliancefhir.org/fhir/Questionnaire/srs";
	private static final String SRS_Q2 = "\"linkId\":\"q2\",\"answer\":[{\"valueDecimal\":8.2}]";
	private static final String GUARD_MESSAGE = "Scores of QuestionnaireResponses are computed by this server when the "
			+ "response is stored; post the QuestionnaireResponse only (form fillers: do not extract Observations "
			+ "yourself), and amend, withdraw (entered-in-error) or delete the response to change its scores";

	/**
	 * One way to spoil a valid fixture, and the answer the server must give.
	 *
	 * @param edit changes the parsed fixture
	 * @param json changes the encoded JSON, for what the FHIR model cannot hold (NaN); {@code null} for none
	 * @param expression the issue's expression, or {@code null} when the server cannot point at an element
	 */
	record Rejection(
			String instrument,
			String scenario,
			Consumer<QuestionnaireResponse> edit,
			UnaryOperator<String> json,
			int status,
			IssueType code,
			String expression,
			List<String> words) {}

	@BeforeEach
	void clientWaitsForTheFirstValidation() {
		// the first response the server validates loads HAPI's validator: longer than the client's default 10 s
		fhirContext.getRestfulClientFactory().setSocketTimeout(60_000);
	}

	static Stream<Named<Rejection>> rejections() {
		return Stream.of(
				srs(
						"no status",
						r -> r.setStatus(null),
						IssueType.REQUIRED,
						"QuestionnaireResponse.status",
						"The response has no status"),
				srs(
						"no questionnaire",
						r -> r.setQuestionnaire(null),
						IssueType.REQUIRED,
						"QuestionnaireResponse.questionnaire",
						"The response names no Questionnaire"),
				srs(
						"unknown questionnaire url",
						r -> r.setQuestionnaire("https://example.org/fhir/Questionnaire/unknown|1.0.0"),
						IssueType.NOTFOUND,
						"QuestionnaireResponse.questionnaire",
						"Questionnaire https://example.org/fhir/Questionnaire/unknown|1.0.0 is not known"),
				srs(
						"known url with an unknown version names the latest version",
						r -> r.setQuestionnaire(SRS + "|9.9.9"),
						IssueType.NOTFOUND,
						"QuestionnaireResponse.questionnaire",
						"Questionnaire " + SRS + "|9.9.9 is not known",
						"version 1.0.0 as its latest"),
				srs(
						"completed without subject",
						r -> r.setSubject(null),
						IssueType.REQUIRED,
						"QuestionnaireResponse.subject",
						"completed response needs a subject"),
				srs(
						"completed without authored",
						r -> r.setAuthoredElement(null),
						IssueType.REQUIRED,
						"QuestionnaireResponse.authored",
						"completed response needs authored"),
				rejection(
						"missing required answer",
						"srs",
						"one-item-skipped",
						r -> {},
						IssueType.INVALID,
						"QuestionnaireResponse",
						"required item 'q2'"),
				rejection(
						"answer code not in the options",
						"wav-12-client",
						"mixed",
						r -> item(r, "q3")
								.getAnswerFirstRep()
								.setValue(new Coding(
										"https://alliancefhir.org/fhir/CodeSystem/wav-frequency", "f9", "9")),
						IssueType.INVALID,
						"QuestionnaireResponse.item[2].answer[0]",
						"'q3'",
						"wav-frequency::f9 is not in the set of permitted values"),
				srs(
						"decimal above the maximum",
						r -> item(r, "q2").getAnswerFirstRep().setValue(new DecimalType("11.5")),
						IssueType.INVALID,
						"QuestionnaireResponse.item[1].answer[0].value.ofType(decimal)",
						"'q2'",
						"11.5 is greater than the allowed maximum of 10"),
				srs(
						"decimal below the minimum",
						r -> item(r, "q2").getAnswerFirstRep().setValue(new DecimalType("-0.1")),
						IssueType.INVALID,
						"QuestionnaireResponse.item[1].answer[0].value.ofType(decimal)",
						"'q2'",
						"-0.1 is less than the allowed minimum of 0"),
				json(
						"1e400 in JSON is a valid decimal, far above the maximum",
						"1e400",
						422,
						IssueType.INVALID,
						"QuestionnaireResponse.item[1].answer[0].value.ofType(decimal)",
						"'q2'",
						"1E+400 is greater than the allowed maximum of 10"),
				json("NaN in JSON is not FHIR", "NaN", 400, IssueType.PROCESSING, null, "Failed to parse", "'NaN'"),
				json(
						"Infinity in JSON is not FHIR",
						"Infinity",
						400,
						IssueType.PROCESSING,
						null,
						"Failed to parse",
						"'Infinity'"),
				json(
						"NaN as a JSON string is not a FHIR decimal",
						"\"NaN\"",
						400,
						IssueType.PROCESSING,
						null,
						"valueDecimal is written as a JSON string (\"NaN\")",
						"without quotes"),
				srs(
						"string answer for a decimal item",
						r -> item(r, "q2").getAnswerFirstRep().setValue(new StringType("8.2")),
						IssueType.INVALID,
						"QuestionnaireResponse.item[1].answer[0].value.ofType(string)",
						"'q2'",
						"must be of the type decimal not string"),
				srs(
						"unknown linkId",
						r -> r.addItem().setLinkId("q99").addAnswer().setValue(new DecimalType("5")),
						IssueType.INVALID,
						"QuestionnaireResponse",
						"LinkId 'q99' not found in questionnaire"),
				srs(
						"duplicate linkId",
						r -> r.getItem().add(1, item(r, "q1").copy()),
						IssueType.INVALID,
						"QuestionnaireResponse",
						"Only one response item with the linkId q1 allowed - found 2 items"),
				srs(
						"client total that disagrees names both values",
						r -> r.addItem().setLinkId("total").addAnswer().setValue(new DecimalType("29.9")),
						IssueType.BUSINESSRULE,
						"QuestionnaireResponse.descendants().where(linkId = 'total')",
						"Score item 'total' was sent as 29.9 but the server computes 31.7"),
				srs(
						"client component nested in the total's answer that disagrees",
						r -> total(r, "31.7")
								.addItem()
								.setLinkId("relationship")
								.addAnswer()
								.setValue(new DecimalType("2.5")),
						IssueType.BUSINESSRULE,
						"QuestionnaireResponse.descendants().where(linkId = 'relationship')",
						"Score item 'relationship' was sent as 2.5 but the server computes 7.5"),
				// the server has no total without q2, but the missing answer is what the client must fix
				rejection(
						"client total where the server has no score is refused for the missing answer",
						"srs",
						"one-item-skipped",
						r -> total(r, "27.0"),
						IssueType.INVALID,
						"QuestionnaireResponse",
						"required item 'q2'"),
				rejection(
						"SOFTA-o member that refers to a RelatedPerson that does not exist",
						"softa-o",
						"mixed",
						r -> ((Reference) r.getItem()
										.get(1)
										.getItem()
										.get(0)
										.getAnswerFirstRep()
										.getValue())
								.setReference("RelatedPerson/never-created"),
						IssueType.NOTFOUND,
						"QuestionnaireResponse.item[1].item[0].answer[0].value",
						"Item 'member-ref' refers to RelatedPerson/never-created, which does not exist"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rejections")
	void postingAnInvalidResponseIsRefusedWithAnOutcomeNamingTheProblemAndStoresNothing(Rejection rejection)
			throws Exception {
		int responses = count("QuestionnaireResponse");
		int observations = count("Observation");

		HttpResponse<String> answer = send(request("/QuestionnaireResponse")
				.header("Content-Type", "application/fhir+json")
				.POST(HttpRequest.BodyPublishers.ofString(body(rejection, null))));

		assertRejected(answer, rejection);
		assertThat(count("QuestionnaireResponse")).isEqualTo(responses);
		assertThat(count("Observation")).isEqualTo(observations);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rejections")
	void puttingAnInvalidVersionOverAStoredCompletedResponseIsRefusedAndKeepsItAndItsScores(Rejection rejection)
			throws Exception {
		String id = create(fixture(rejection.instrument(), "mixed"));
		List<String> scoresBefore = versionsAndValues(derivedFrom(id));
		int responses = count("QuestionnaireResponse");
		int observations = count("Observation");

		HttpResponse<String> answer = send(request("/QuestionnaireResponse/" + id)
				.header("Content-Type", "application/fhir+json")
				.PUT(HttpRequest.BodyPublishers.ofString(body(rejection, id))));

		assertRejected(answer, rejection);
		assertThat(count("QuestionnaireResponse")).isEqualTo(responses);
		assertThat(count("Observation")).isEqualTo(observations);
		QuestionnaireResponse stored =
				client().read().resource(QuestionnaireResponse.class).withId(id).execute();
		assertThat(stored.getMeta().getVersionId()).isEqualTo("1");
		assertThat(scoresBefore).isNotEmpty();
		assertThat(versionsAndValues(derivedFrom(id))).isEqualTo(scoresBefore);
	}

	@Test
	void aClientPostedScoreObservationDerivedFromAResponseIsRefusedByTheGuard() throws Exception {
		String responseId = create(fixture("srs", "mixed"));
		int observations = count("Observation");

		HttpResponse<String> answer = post("/Observation", clientScore(responseId));

		assertGuardRefusal(answer);
		assertThat(count("Observation")).isEqualTo(observations);
		assertThat(derivedFrom(responseId)).hasSize(1);
	}

	@Test
	void anOrdinaryObservationDerivedFromAResponseIsAccepted() throws Exception {
		String responseId = create(fixture("srs", "mixed"));
		Observation ordinary = clientScore(responseId);
		ordinary.getCode().getCodingFirstRep().setSystem("http://loinc.org").setCode("72133-2");

		HttpResponse<String> answer = post("/Observation", ordinary);

		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
		assertThat(derivedFrom(responseId)).hasSize(2);
	}

	@Test
	void aClientDeleteOfADerivedObservationIsRefusedByTheGuard() throws Exception {
		String responseId = create(fixture("srs", "mixed"));
		Observation score = derivedFrom(responseId).get(0);
		int observations = count("Observation");

		HttpResponse<String> answer =
				send(request("/Observation/" + score.getIdElement().getIdPart()).DELETE());

		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
		OperationOutcome outcome = fhirContext.newJsonParser().parseResource(OperationOutcome.class, answer.body());
		assertThat(outcome.getIssueFirstRep().getDiagnostics()).isEqualTo(GUARD_MESSAGE);
		assertThat(count("Observation")).isEqualTo(observations);
		assertThat(derivedFrom(responseId))
				.singleElement()
				.satisfies(o -> assertThat(o.getMeta().getVersionId()).isEqualTo("1"));
	}

	static Stream<Named<Consumer<Observation>>> clientChangesToADerivedObservation() {
		return Stream.of(
				Named.of("a changed value", o -> o.getValueQuantity().setValue(new BigDecimal("40"))),
				Named.of("identifier, score code and derivedFrom removed", o -> {
					o.getIdentifier().clear();
					o.getCode().getCoding().clear();
					o.getCode().addCoding().setSystem("http://loinc.org").setCode("72133-2");
					o.getDerivedFrom().clear();
					o.getValueQuantity().setValue(new BigDecimal("40"));
				}));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("clientChangesToADerivedObservation")
	void aClientPutChangingADerivedObservationIsRefusedByTheGuard(Consumer<Observation> change) throws Exception {
		String responseId = create(fixture("srs", "mixed"));
		Observation derived = onlyDerivedFrom(responseId);
		Observation changed = derived.copy();
		change.accept(changed);

		HttpResponse<String> answer =
				send(request("/Observation/" + derived.getIdElement().getIdPart())
						.header("Content-Type", "application/fhir+json")
						.PUT(HttpRequest.BodyPublishers.ofString(json(changed))));

		assertGuardRefusal(answer);
		Observation stored = onlyDerivedFrom(responseId);
		assertThat(stored.getMeta().getVersionId()).isEqualTo("1");
		assertThat(stored.getValueQuantity().getValue()).isEqualByComparingTo("31.7");
		assertThat(stored.getCode().getCodingFirstRep().getCode()).isEqualTo("srs-total");
	}

	@Test
	void aCorrectClientTotalAndComponentAreAcceptedAndTheObservationCarriesTheServerValues() throws Exception {
		QuestionnaireResponse response = fixture("srs", "mixed");
		response.setId((String) null);
		total(response, "31.70").addItem().setLinkId("relationship").addAnswer().setValue(new DecimalType("7.50"));

		HttpResponse<String> answer = post("/QuestionnaireResponse", response);

		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
		String id = fhirContext
				.newJsonParser()
				.parseResource(QuestionnaireResponse.class, answer.body())
				.getIdElement()
				.getIdPart();
		Observation observation = onlyDerivedFrom(id);
		// the server's scale (31.7), not the client's (31.70): the value is computed, not copied
		assertThat(observation.getValueQuantity().getValue().toPlainString()).isEqualTo("31.7");
		assertThat(observation.getComponent())
				.extracting(
						c -> c.getCode().getCodingFirstRep().getCode(),
						c -> c.getValueQuantity().getValue().toPlainString())
				.containsExactly(
						tuple("srs-relationship", "7.5"),
						tuple("srs-goals-topics", "8.2"),
						tuple("srs-approach", "6.9"),
						tuple("srs-overall", "9.1"));
	}

	private void assertRejected(HttpResponse<String> answer, Rejection rejection) {
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(rejection.status());
		OperationOutcome outcome = fhirContext.newJsonParser().parseResource(OperationOutcome.class, answer.body());
		assertThat(outcome.getIssue()).as(answer.body()).hasSize(1);
		OperationOutcomeIssueComponent issue = outcome.getIssueFirstRep();
		assertThat(issue.getSeverity()).isEqualTo(IssueSeverity.ERROR);
		assertThat(issue.getCode()).as(answer.body()).isEqualTo(rejection.code());
		assertThat(issue.getDiagnostics()).contains(rejection.words());
		if (rejection.expression() == null) {
			assertThat(issue.getExpression()).isEmpty();
		} else {
			assertThat(issue.getExpression()).extracting(e -> e.getValue()).containsExactly(rejection.expression());
		}
	}

	private void assertGuardRefusal(HttpResponse<String> answer) {
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
		OperationOutcome outcome = fhirContext.newJsonParser().parseResource(OperationOutcome.class, answer.body());
		assertThat(outcome.getIssue()).hasSize(1);
		assertThat(outcome.getIssueFirstRep().getSeverity()).isEqualTo(IssueSeverity.ERROR);
		assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(IssueType.BUSINESSRULE);
		assertThat(outcome.getIssueFirstRep().getDiagnostics()).isEqualTo(GUARD_MESSAGE);
		assertThat(outcome.getIssueFirstRep().getExpression())
				.extracting(e -> e.getValue())
				.containsExactly("Observation");
	}

	/** The fixture as JSON with the rejection applied, without an id (POST) or with the stored one (PUT). */
	private String body(Rejection rejection, String id) {
		QuestionnaireResponse response = fixture(rejection.instrument(), rejection.scenario());
		response.setId(id);
		rejection.edit().accept(response);
		String json = json(response);
		if (rejection.json() == null) {
			return json;
		}
		String edited = rejection.json().apply(json);
		assertThat(edited).as("the JSON edit applies to the fixture").isNotEqualTo(json);
		return edited;
	}

	private Observation clientScore(String responseId) {
		Observation score = new Observation();
		score.setStatus(Observation.ObservationStatus.FINAL);
		score.getCode().addCoding().setSystem(SCORE_SYSTEM).setCode("srs-total");
		score.getSubject().setReference(FIXTURE_PATIENT);
		score.setValue(new Quantity().setValue(new BigDecimal("31.7")));
		score.addDerivedFrom().setReference("QuestionnaireResponse/" + responseId);
		return score;
	}

	private HttpResponse<String> post(String path, Resource resource) throws Exception {
		return send(request(path)
				.header("Content-Type", "application/fhir+json")
				.POST(HttpRequest.BodyPublishers.ofString(json(resource))));
	}

	private String json(Resource resource) {
		return fhirContext.newJsonParser().encodeResourceToString(resource);
	}

	private static List<String> versionsAndValues(List<Observation> observations) {
		return observations.stream()
				.map(o -> o.getIdElement().getIdPart() + "/_history/"
						+ o.getMeta().getVersionId() + " "
						+ o.getStatus().toCode() + " "
						+ (o.hasValueQuantity()
								? o.getValueQuantity().getValue().toPlainString()
								: "panel"))
				.sorted()
				.toList();
	}

	private static Named<Rejection> srs(
			String name, Consumer<QuestionnaireResponse> edit, IssueType code, String expression, String... words) {
		return rejection(name, "srs", "mixed", edit, code, expression, words);
	}

	private static Named<Rejection> rejection(
			String name,
			String instrument,
			String scenario,
			Consumer<QuestionnaireResponse> edit,
			IssueType code,
			String expression,
			String... words) {
		return Named.of(name, new Rejection(instrument, scenario, edit, null, 422, code, expression, List.of(words)));
	}

	/** SRS answer q2 (8.2) replaced by a literal JSON token. */
	private static Named<Rejection> json(
			String name, String token, int status, IssueType code, String expression, String... words) {
		UnaryOperator<String> edit = json -> json.replace(SRS_Q2, SRS_Q2.replace("8.2", token));
		return Named.of(name, new Rejection("srs", "mixed", r -> {}, edit, status, code, expression, List.of(words)));
	}

	private static QuestionnaireResponseItemComponent item(QuestionnaireResponse response, String linkId) {
		return response.getItem().stream()
				.filter(i -> linkId.equals(i.getLinkId()))
				.findFirst()
				.orElseThrow();
	}

	/** Adds the score item {@code total} with the client's value; returns its answer, where components nest. */
	private static QuestionnaireResponseItemAnswerComponent total(QuestionnaireResponse response, String value) {
		return response.addItem().setLinkId("total").addAnswer().setValue(new DecimalType(value));
	}
}
