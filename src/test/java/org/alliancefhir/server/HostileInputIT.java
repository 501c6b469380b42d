package org.alliancefhir.server;

import static org.alliancefhir.server.HostileCase.JSON;
import static org.alliancefhir.server.HostileCase.XML;
import static org.alliancefhir.server.HostileCase.get;
import static org.alliancefhir.server.HostileCase.post;
import static org.alliancefhir.server.HostileCase.put;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile requests over raw HTTP get their exact client error with an OperationOutcome, never a server error, and
 * change nothing that is stored; text FHIR allows is stored verbatim. {@link PostgresHostileInputIT} runs the same
 * matrix on PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputIT extends ServerIntegrationTest {

	static final String SUBJECT = "Patient/robustness-patient";
	static final String FREE_TEXT = "https://alliancefhir.org/fhir/test/Questionnaire/robustness-free-text|1.0.0";
	static final String SCORE_SYSTEM = "https://alliancefhir.org/fhir/CodeSystem/alliance";
	static final String QR = "/QuestionnaireResponse";
	static final int MAX_BODY = 1024 * 1024;
	static final int MAXIMUM_PAGE_SIZE = 200;

	private final HttpClient http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
	private final AtomicInteger dtdFetches = new AtomicInteger();
	private final String pageTag = "urn:robustness:page|" + UUID.randomUUID();
	private HttpServer dtdServer;
	private String srs;
	private String srsXml;

	/** Starts the server the matrix runs against; the shared H2 server is already running. */
	protected void startTarget() {}

	protected void stopTarget() throws Exception {}

	@BeforeAll
	void startTheTargetWithWhatTheCasesReferTo() throws Exception {
		startTarget();
		dtdServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		dtdServer.createContext("/", exchange -> {
			dtdFetches.incrementAndGet();
			byte[] dtd = "<!ENTITY leak \"LEAKED\">".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, dtd.length);
			exchange.getResponseBody().write(dtd);
			exchange.close();
		});
		dtdServer.start();

		store(
				"/Patient/robustness-patient",
				"{\"resourceType\":\"Patient\",\"id\":\"robustness-patient\"," + "\"birthDate\":\"1990-05-17\"}");
		store("/Patient/robustness-other", "{\"resourceType\":\"Patient\",\"id\":\"robustness-other\"}");
		store("/Encounter/robustness-own-visit", encounter("robustness-own-visit", SUBJECT));
		store("/Encounter/robustness-other-visit", encounter("robustness-other-visit", "Patient/robustness-other"));
		store("/Questionnaire/robustness-free-text", classpath("robustness/Questionnaire-free-text.json"));
		store("/", pageOfLocations(MAXIMUM_PAGE_SIZE + 5));

		QuestionnaireResponse response = fhirContext
				.newJsonParser()
				.parseResource(QuestionnaireResponse.class, classpath("fixtures/srs/QuestionnaireResponse-mixed.json"));
		response.setId((String) null);
		response.setSubject(new Reference(SUBJECT));
		response.setAuthor(new Reference(SUBJECT));
		srs = fhirContext.newJsonParser().encodeResourceToString(response);
		srsXml = fhirContext.newXmlParser().encodeResourceToString(response);
	}

	@AfterAll
	void stopTheTarget() throws Exception {
		if (dtdServer != null) {
			dtdServer.stop(0);
		}
		stopTarget();
	}

	Stream<HostileCase> hostileWrites() throws IOException {
		return Stream.of(
				post("truncated JSON", QR, JSON, srs.substring(0, srs.length() / 2))
						.expect(400),
				post("JSON with trailing garbage", QR, JSON, srs + "}}").expect(400),
				post("an empty body", QR, JSON, "").expect(400),
				post("a JSON array instead of a resource", QR, JSON, "[" + srs + "]")
						.expect(400),
				post(
								"JSON without resourceType",
								QR,
								JSON,
								replace(srs, "\"resourceType\":\"QuestionnaireResponse\",", ""))
						.expect(400),
				post(
								"unclosed XML",
								QR,
								XML,
								"<QuestionnaireResponse xmlns=\"http://hl7.org/fhir\"><status value=\"completed\"/>")
						.expect(400),
				post("plain text declared as XML", QR, XML, "this is not XML").expect(400),
				post("XXE: a SYSTEM entity reading /etc/passwd", QR, XML, xxe("file:///etc/passwd"))
						.expect(400)
						.also(leaksNothing()),
				post("XXE: a SYSTEM entity in the narrative", "/Patient", XML, xxeInNarrative())
						.expect(400)
						.also(leaksNothing()),
				post("XXE: an entity from an external DTD over HTTP", QR, XML, xxe(dtdUrl()))
						.expect(400)
						.also(leaksNothing()),
				post("XXE: an external parameter entity", QR, XML, externalParameterEntity())
						.expect(422)
						.also(leaksNothing()),
				post("billion laughs", QR, XML, billionLaughs()).expect(400),
				post("a Patient posted as a QuestionnaireResponse", QR, JSON, "{\"resourceType\":\"Patient\"}")
						.expect(400),
				post("an unknown resource type", QR, JSON, "{\"resourceType\":\"Foo\"}")
						.expect(400),
				put("a PUT whose body names another id", QR + "/robustness-a", JSON, withId(srs, "robustness-b"))
						.expect(400),
				post("a score Observation written by a client", "/Observation", JSON, clientScore())
						.expect(422),
				post("a body over the limit with its Content-Length", QR, JSON, padded(srs, MAX_BODY + MAX_BODY / 2))
						.expect(413)
						.also(issueCode("too-long")),
				post("a chunked body over the limit", QR, JSON, padded(srs, MAX_BODY + MAX_BODY / 2))
						.chunked()
						.expect(413)
						.also(issueCode("too-long")),
				post("a gzip bomb: 64 MB inflated from a small body", QR, JSON, gzipBomb(64 * 1024 * 1024))
						.header("Content-Encoding", "gzip")
						.expect(413)
						.also(issueCode("too-long")),
				post("a body declared gzip that is not", QR, JSON, srs)
						.header("Content-Encoding", "gzip")
						.expect(400),
				post("5,000 levels of item.item in JSON", QR, JSON, nestedItems(5000))
						.expect(400),
				post("5,000 nested JSON arrays", QR, JSON, nestedArrays(5000)).expect(400),
				post("5,000 levels of item in XML", QR, XML, nestedXmlItems(5000))
						.expect(400),
				post("200 levels of item.item in JSON", QR, JSON, nestedItems(200))
						.expect(422)
						.also(issueCode("too-costly")),
				post("200 levels of item in XML", QR, XML, nestedXmlItems(200))
						.expect(422)
						.also(issueCode("too-costly")),
				post("100 levels of nested extensions", QR, JSON, nestedExtensions(100))
						.expect(422)
						.also(issueCode("too-costly")),
				post("authored in month 13, day 45, hour 99", QR, JSON, authored("2026-13-45T99:00:00Z"))
						.expect(400),
				post("authored is not a date", QR, JSON, authored("not-a-date")).expect(400),
				post("authored on 30 February", QR, JSON, authored("2026-02-30T10:00:00Z"))
						.expect(400),
				post("authored with a time but no time zone", QR, JSON, authored("2026-11-20T10:00:00"))
						.expect(422),
				post("authored in year 0000", QR, JSON, authored("0000-01-01T00:00:00Z"))
						.expect(422),
				post("JSON sent as text/plain", QR, "text/plain", srs).expect(400),
				post("JSON sent without a Content-Type", QR, JSON, srs)
						.header("Content-Type", null)
						.expect(400),
				post("JSON sent as a form", QR, "application/x-www-form-urlencoded", srs)
						.expect(400),
				post("JSON declared as XML", QR, XML, srs).expect(400),
				post("XML declared as JSON", QR, JSON, srsXml).expect(400),
				decimal("1e400", 422),
				decimal("-1", 422),
				decimal("123456789012345678901234567890", 422),
				decimal("NaN", 400),
				decimal("Infinity", 400),
				decimal("-Infinity", 400),
				decimal("\"7.5\"", 400),
				post(
								"an extension's valueBoolean written as a string",
								QR,
								JSON,
								replace(
										srs,
										"\"status\":\"completed\"",
										"\"status\":\"completed\",\"extension\":[{\"url\":\"https://example.org/x\","
												+ "\"valueBoolean\":\"true\"}]"))
						.expect(400),
				decimal("true", 400),
				decimal("1e-999999999", 400),
				decimal("1e999999999", 400),
				post(
								"a decimal of 1e-999999999 in XML",
								QR,
								XML,
								replace(srsXml, "value=\"7.5\"", "value=\"1e-999999999\""))
						.expect(400),
				freeText("NUL in a text answer", "a\u0000b", 400),
				freeText("a bell character in a text answer", "a\u0007b", 400),
				freeText("a lone high surrogate in a text answer", "a\uD800b", 400),
				freeText("a lone low surrogate in a text answer", "a\uDC00b", 400),
				put(
								"NUL in an indexed Patient name",
								"/Patient/robustness-nul",
								JSON,
								"{\"resourceType\":\"Patient\",\"id\":\"robustness-nul\",\"name\":[{\"family\":\"a\\u0000b\"}]}")
						.expect(400),
				post("a transaction whose second entry has a lone surrogate", "/", JSON, transactionWithBadEntry())
						.expect(400),
				post("a duplicate linkId", QR, JSON, duplicateLinkId()).expect(422),
				post("an Encounter of another patient", QR, JSON, inEncounter("Encounter/robustness-other-visit"))
						.expect(422)
						.also(diagnosticsContain("is not an encounter of " + SUBJECT)),
				post("an Encounter that does not exist", QR, JSON, inEncounter("Encounter/robustness-missing"))
						.expect(400),
				post(
								"a Latin-1 byte (invalid UTF-8) in a text answer",
								QR,
								JSON,
								withRawBytes(freeTextResponse("caf#"), 0xE9))
						.expect(400)
						.also(diagnosticsContain("not valid UTF-8")),
				post(
								"an overlong UTF-8 sequence in a text answer",
								QR,
								JSON,
								withRawBytes(freeTextResponse("a#b"), 0xC0, 0xAF))
						.expect(400),
				post(
								"a truncated UTF-8 sequence in XML",
								QR,
								XML,
								withRawBytes(replace(srsXml, "<status", "<!--#--><status"), 0xE2, 0x82))
						.expect(400),
				narrative("a script in a Patient narrative", "<script>alert(1)</script>")
						.also(diagnosticsContain("Patient.text.div contains an element <script>")),
				narrative("an img with onerror", "<img src=\\\"x\\\" onerror=\\\"alert(1)\\\"/>")
						.also(diagnosticsContain("an event attribute onerror on <img>")),
				narrative("a javascript: link", "<a href=\\\"javascript:alert(1)\\\">x</a>")
						.also(diagnosticsContain("a javascript: URL in href")),
				narrative("an iframe", "<iframe src=\\\"https://evil.example\\\"></iframe>"),
				narrative("a style that loads a URL", "<p style=\\\"background:url(https://evil.example/t)\\\">x</p>"),
				post("a script in the narrative of a response's contained resource", QR, JSON, containedWithScript())
						.expect(422)
						.also(diagnosticsContain(
								"QuestionnaireResponse.contained[0].text.div contains an element <script>")),
				post(
								"a script in a narrative in XML",
								"/Patient",
								XML,
								"<Patient xmlns=\"http://hl7.org/fhir\"><text>"
										+ "<status value=\"generated\"/><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>x</p>"
										+ "<script>alert(1)</script></div></text></Patient>")
						.expect(422),
				post(
								"a transaction whose second entry has a script in its narrative",
								"/",
								JSON,
								transactionWithScript())
						.expect(422),
				post(
								"a Questionnaire with replace nested 8 times",
								"/Questionnaire",
								JSON,
								questionnaireWith(
										"calculatedExpression",
										"'aaaa'" + ".replace('a', 'aaaa')".repeat(8) + ".length()"))
						.expect(422)
						.also(diagnosticsContain("item 'total': the FHIRPath of sdc-questionnaire-calculatedExpression "
								+ "uses replace()")),
				post(
								"a Questionnaire with 20,000 nested parentheses",
								"/Questionnaire",
								JSON,
								questionnaireWith(
										"calculatedExpression", "(".repeat(20_000) + "1" + ")".repeat(20_000)))
						.expect(422)
						.also(diagnosticsContain("is 40001 characters long")),
				post(
								"a Questionnaire with 100 nested parentheses",
								"/Questionnaire",
								JSON,
								questionnaireWith("calculatedExpression", "(".repeat(100) + "1" + ")".repeat(100)))
						.expect(422)
						.also(diagnosticsContain("nests brackets more than 32 deep")),
				post(
								"a Questionnaire with a backtracking regex in enableWhenExpression",
								"/Questionnaire",
								JSON,
								questionnaireWith(
										"enableWhenExpression", "'aaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.matches('(a+)+$')"))
						.expect(422)
						.also(diagnosticsContain("sdc-questionnaire-enableWhenExpression uses matches()")),
				post(
								"a Questionnaire with an expression that does not parse",
								"/Questionnaire",
								JSON,
								questionnaireWith("initialExpression", "%resource.item.where("))
						.expect(422)
						.also(diagnosticsContain("does not parse")),
				post(
								"a conditional create whose If-None-Exist has 1e999999999",
								"/Observation",
								JSON,
								"{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"weight\"},"
										+ "\"subject\":{\"reference\":\"" + SUBJECT + "\"}}")
						.header("If-None-Exist", "Observation?value-quantity=lt1e999999999")
						.expect(400)
						.also(diagnosticsContain("Parameter 'value-quantity'")),
				post(
								"a second Questionnaire with a stored url|version",
								"/Questionnaire",
								JSON,
								classpathText("robustness/Questionnaire-free-text.json")
										.replace("\"id\": \"robustness-free-text\",", ""))
						.expect(422)
						.also(issueCode("duplicate"))
						.also(diagnosticsContain("is already stored as Questionnaire/robustness-free-text")));
	}

	Stream<HostileCase> hostileSearches() {
		String scoreSearch =
				"/Observation?subject=" + SUBJECT + "&code=" + encoded(SCORE_SYSTEM + "|srs-total") + "&_sort=-date";
		return Stream.of(
				get("SQL injection in a string parameter", "/Patient?name=" + encoded("' OR 1=1 --"))
						.expect(200)
						.also(total(0)),
				get("SQL injection in a token parameter", "/Patient?identifier=" + encoded("x' OR '1'='1|y"))
						.expect(200)
						.also(total(0)),
				get("a script in a string parameter", "/Patient?family=" + encoded("<script>alert(1)</script>"))
						.expect(200)
						.also(total(0))
						.also(noRawScript()),
				get("a script as a resource id", "/Patient/" + encoded("<script>"))
						.expect(404)
						.also(noRawScript()),
				get("_count=-1", "/Observation?_count=-1").expect(400),
				get("_count=abc", "/Observation?_count=abc").expect(400),
				get("_count=0 asks for the total only", "/Observation?_count=0").expect(200),
				get("_offset=-1", "/Observation?_offset=-1").expect(400),
				get("_sort by an unknown parameter", "/Observation?_sort=nonexistent")
						.expect(400),
				get("date=notadate", "/Observation?date=notadate").expect(400),
				get("an unknown search parameter", "/Observation?foo=bar").expect(400),
				get("_include=*:*", "/Observation?_include=*:*").expect(400),
				get("_include=* on a subject's scores", "/Observation?subject=" + SUBJECT + "&_include=*")
						.expect(200),
				get("_summary with an unknown value is ignored", "/Observation?_summary=nonsense&_count=1")
						.expect(200),
				get("NUL in a parameter value", "/Patient?name=a%00b").expect(400),
				get("NUL in a parameter name, which HAPI drops", "/Patient?na%00me=x")
						.expect(200)
						.also(total(0)),
				get(
								"a huge _count is capped at the maximum page size",
								"/Location?_tag=" + encoded(pageTag) + "&_count=100000")
						.expect(200)
						.also(pageOfAtMostTheMaximumWithANextLink()),
				get("a score search sorted by date", scoreSearch).expect(200),
				get("value-quantity=1e999999999", "/Observation?value-quantity=1e999999999")
						.expect(400)
						.also(diagnosticsContain("Parameter 'value-quantity'")),
				get("value-quantity=lt1e-999999999", "/Observation?value-quantity=lt1e-999999999")
						.expect(400),
				get(
								"value-quantity with a unit and 1e999999999",
								"/Observation?value-quantity="
										+ encoded("ge1e999999999|http://unitsofmeasure.org|{score}"))
						.expect(400),
				get("a number of 2,000 digits", "/Observation?value-quantity=gt1" + "0".repeat(2000))
						.expect(400)
						.also(diagnosticsContain("2001 digits")),
				get("component-value-quantity=1e999999999", "/Observation?component-value-quantity=ap1e999999999")
						.expect(400),
				get(
								"a composite code$1e999999999",
								"/Observation?component-code-value-quantity="
										+ encoded(SCORE_SYSTEM + "|srs-relationship$lt1e999999999"))
						.expect(400),
				get("_has with 1e999999999", "/Patient?_has:Observation:subject:value-quantity=gt1e999999999")
						.expect(400)
						.also(diagnosticsContain("Parameter '_has:Observation:subject:value-quantity'")),
				post(
								"a GET entry of a transaction with 1e999999999 gets its own 400",
								"/",
								JSON,
								"{\"resourceType\":\"Bundle\",\"type\":"
										+ "\"transaction\",\"entry\":[{\"request\":{\"method\":\"GET\",\"url\":"
										+ "\"Observation?value-quantity=1e999999999\"}}]}")
						.expect(200)
						.also(response -> assertThat(fhirContext
										.newJsonParser()
										.parseResource(Bundle.class, response.body())
										.getEntryFirstRep()
										.getResponse()
										.getStatus())
								.startsWith("400")),
				post(
								"a transaction entry whose ifNoneExist has 1e999999999",
								"/",
								JSON,
								"{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":"
										+ "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
										+ "\"subject\":{\"reference\":\"" + SUBJECT
										+ "\"}},\"request\":{\"method\":\"POST\","
										+ "\"url\":\"Observation\",\"ifNoneExist\":\"Observation?value-quantity=gt1e999999999\"}}]}")
						.expect(400)
						.also(diagnosticsContain("Parameter 'value-quantity'")),
				post(
								"a conditional update entry of a batch whose URL has 1e999999999",
								"/",
								JSON,
								"{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"resource\":"
										+ "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
										+ "\"subject\":{\"reference\":\"" + SUBJECT
										+ "\"}},\"request\":{\"method\":\"PUT\","
										+ "\"url\":\"Observation?value-quantity=1e999999999\"}}]}")
						.expect(400)
						.also(diagnosticsContain("Parameter 'value-quantity'")),
				post(
								"a POST _search form with 1e999999999",
								"/Observation/_search",
								"application/x-www-form-urlencoded",
								"value-quantity=1e999999999")
						.expect(400),
				get(
								"value-quantity=lt1e3 is an ordinary search",
								"/Observation?subject=" + SUBJECT + "&value-quantity=lt1e3")
						.expect(200));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("hostileWrites")
	void aHostileWriteGetsItsExactClientErrorAndStoresNothing(HostileCase hostile) throws Exception {
		Map<String, Integer> before = counts(hostile);

		HttpResponse<String> response = send(hostile);

		assertThat(response.statusCode())
				.as("%s: %s", hostile, abbreviated(response.body()))
				.isEqualTo(hostile.status());
		assertIsOperationOutcome(response);
		hostile.check().accept(response);
		assertThat(counts(hostile)).as("what is stored").isEqualTo(before);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("hostileSearches")
	void aHostileSearchGetsExactlyTheAnswerItDeserves(HostileCase hostile) throws Exception {
		HttpResponse<String> response = send(hostile);

		assertThat(response.statusCode())
				.as("%s: %s", hostile, abbreviated(response.body()))
				.isEqualTo(hostile.status());
		if (hostile.status() >= 400) {
			assertIsOperationOutcome(response);
		} else {
			assertThat(response.headers().firstValue("Content-Type"))
					.hasValueSatisfying(type -> assertThat(type).startsWith(JSON));
			assertThat(fhirContext.newJsonParser().parseResource(response.body()))
					.isInstanceOf(Bundle.class);
		}
		hostile.check().accept(response);
	}

	Stream<Arguments> textsFhirAllows() {
		return Stream.of(
				Arguments.of("4-byte emoji", "Feeling 😀🧠 today"),
				Arguments.of("a right-to-left override", "abc\u202Edef\u202C ghi"),
				Arguments.of("right-to-left script", "مرحبا بالعالم"),
				Arguments.of("zero-width and combining characters", "e\u0301 \u200B\uFEFF"),
				Arguments.of("a supplementary CJK character", "\uD840\uDC0E"),
				Arguments.of("tab, CR and LF", "a\tb\r\nc"),
				Arguments.of("SQL", "'; DROP TABLE HFJ_RESOURCE; -- ' OR 1=1 --"),
				Arguments.of("a script", "<script>alert(1)</script><img src=x onerror=alert(2)>"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("textsFhirAllows")
	void aTextAnswerFhirAllowsIsStoredAndReadBackVerbatim(String name, String text) throws Exception {
		int responses = count("QuestionnaireResponse");
		int observations = count("Observation");

		HttpResponse<String> created = send(post(name, QR, JSON, freeTextResponse(text)));

		assertThat(created.statusCode()).as(abbreviated(created.body())).isEqualTo(201);
		String location = created.headers().firstValue("Location").orElseThrow();
		HttpResponse<String> read = http.send(
				HttpRequest.newBuilder(URI.create(location))
						.header("Accept", JSON)
						.build(),
				HttpResponse.BodyHandlers.ofString());
		QuestionnaireResponse stored =
				fhirContext.newJsonParser().parseResource(QuestionnaireResponse.class, read.body());
		assertThat(stored.getItemFirstRep()
						.getAnswerFirstRep()
						.getValueStringType()
						.getValue())
				.isEqualTo(text);
		assertThat(count("QuestionnaireResponse")).isEqualTo(responses + 1);
		assertThat(count("Observation")).isEqualTo(observations);
	}

	@Test
	void theHtmlViewShowsAScriptInAParameterAsText() throws Exception {
		HttpResponse<String> response = send(get("HTML view", "/Patient?family=" + encoded("<script>alert(1)</script>"))
				.header("Accept", "text/html"));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).doesNotContain("<script>alert(1)</script>");
	}

	@Test
	void aGzipEncodedResponseWithinTheLimitIsStoredAndScored() throws Exception {
		int responses = count("QuestionnaireResponse");

		HttpResponse<String> created = send(post("gzip", QR, JSON, gzip(srs.getBytes(StandardCharsets.UTF_8)))
				.header("Content-Encoding", "gzip"));

		assertThat(created.statusCode()).as(abbreviated(created.body())).isEqualTo(201);
		assertThat(count("QuestionnaireResponse")).isEqualTo(responses + 1);
		String id = fhirContext
				.newJsonParser()
				.parseResource(QuestionnaireResponse.class, created.body())
				.getIdElement()
				.getIdPart();
		assertThat(count("Observation", "derived-from=QuestionnaireResponse/" + id))
				.as("SRS score Observations")
				.isEqualTo(1);
	}

	@Test
	void aResponseToAQuestionnaireWhoseRulesBlowUpWhenEvaluatedGets422() throws Exception {
		String url = "https://alliancefhir.org/fhir/test/Questionnaire/robustness-doubling-" + UUID.randomUUID();
		StringBuilder variables = new StringBuilder(variable("d0", "'" + "x".repeat(100) + "'"));
		for (int i = 1; i <= 30; i++) {
			variables.append(',').append(variable("d" + i, "%d" + (i - 1) + " & %d" + (i - 1)));
		}
		HttpResponse<String> stored = send(
				post(
						"doubling",
						"/Questionnaire",
						JSON,
						"{\"resourceType\":\"Questionnaire\","
								+ "\"status\":\"draft\",\"url\":\"" + url + "\",\"version\":\"1\",\"extension\":["
								+ variables + "],"
								+ "\"item\":[{\"linkId\":\"total\",\"type\":\"decimal\",\"readOnly\":true,\"extension\":[{\"url\":"
								+ "\"http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression\","
								+ "\"valueExpression\":{\"language\":\"text/fhirpath\",\"expression\":\"%d30.length()\"}}]}]}"));
		assertThat(stored.statusCode()).as(abbreviated(stored.body())).isEqualTo(201);
		int responses = count("QuestionnaireResponse");

		HttpResponse<String> refused = send(post(
				"response",
				QR,
				JSON,
				"{\"resourceType\":\"QuestionnaireResponse\","
						+ "\"questionnaire\":\"" + url + "|1\",\"status\":\"completed\",\"subject\":{\"reference\":\""
						+ SUBJECT
						+ "\"},\"authored\":\"2026-11-20T10:00:00+01:00\"}"));

		assertThat(refused.statusCode()).as(abbreviated(refused.body())).isEqualTo(422);
		assertIsOperationOutcome(refused);
		diagnosticsContain("(root): variable %d10").accept(refused);
		diagnosticsContain("at most 100000 are allowed").accept(refused);
		assertThat(count("QuestionnaireResponse")).isEqualTo(responses);
	}

	@Test
	void updatingAStoredQuestionnaireUnderItsOwnIdKeepsItsUrlAndVersion() throws Exception {
		HttpResponse<String> updated = send(put(
				"same id",
				"/Questionnaire/robustness-free-text",
				JSON,
				classpathText("robustness/Questionnaire-free-text.json")));

		assertThat(updated.statusCode()).as(abbreviated(updated.body())).isEqualTo(200);
	}

	private static String variable(String name, String fhirPath) {
		return "{\"url\":\"http://hl7.org/fhir/StructureDefinition/variable\",\"valueExpression\":{\"name\":\"" + name
				+ "\",\"language\":\"text/fhirpath\",\"expression\":" + jsonString(fhirPath) + "}}";
	}

	@Test
	void aResponseInAnEncounterOfItsOwnSubjectIsStored() throws Exception {
		HttpResponse<String> created =
				send(post("own encounter", QR, JSON, inEncounter("Encounter/robustness-own-visit")));

		assertThat(created.statusCode()).as(abbreviated(created.body())).isEqualTo(201);
	}

	private HttpResponse<String> send(HostileCase hostile) throws IOException, InterruptedException {
		return http.send(hostile.toRequest(baseUrl()), HttpResponse.BodyHandlers.ofString());
	}

	private void assertIsOperationOutcome(HttpResponse<String> response) {
		assertThat(response.headers().firstValue("Content-Type"))
				.as("Content-Type of %s", abbreviated(response.body()))
				.hasValueSatisfying(type -> assertThat(type).startsWith(JSON));
		OperationOutcome outcome = fhirContext.newJsonParser().parseResource(OperationOutcome.class, response.body());
		assertThat(outcome.getIssue()).isNotEmpty();
		assertThat(outcome.getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
	}

	private Map<String, Integer> counts(HostileCase hostile) throws IOException, InterruptedException {
		Map<String, Integer> counts = new LinkedHashMap<>();
		for (String type : new String[] {"QuestionnaireResponse", "Observation", "Patient", hostile.resourceType()}) {
			if (!type.isEmpty()) {
				counts.put(type, count(type));
			}
		}
		return counts;
	}

	/** The number of stored resources of the type, bypassing the search cache. */
	int count(String resourceType) throws IOException, InterruptedException {
		return count(resourceType, "");
	}

	int count(String resourceType, String search) throws IOException, InterruptedException {
		awaitFeedback();
		HttpResponse<String> response = http.send(
				HttpRequest.newBuilder(URI.create(baseUrl() + "/" + resourceType + "?" + search
								+ (search.isEmpty() ? "" : "&") + "_summary=count"))
						.header("Accept", JSON)
						.header("Cache-Control", "no-cache")
						.build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return fhirContext
				.newJsonParser()
				.parseResource(Bundle.class, response.body())
				.getTotal();
	}

	private void store(String path, String json) throws IOException, InterruptedException {
		HostileCase write = path.equals("/") ? post("setup", path, JSON, json) : put("setup", path, JSON, json);
		HttpResponse<String> response = send(write);
		assertThat(response.statusCode()).as(abbreviated(response.body())).isIn(200, 201);
	}

	// ---- case builders

	private HostileCase decimal(String value, int status) {
		return post(
						"a decimal answer of " + value,
						QR,
						JSON,
						replace(srs, "\"valueDecimal\":7.5", "\"valueDecimal\":" + value))
				.expect(status);
	}

	private static HostileCase narrative(String name, String xhtml) {
		return post(
						name,
						"/Patient",
						JSON,
						"{\"resourceType\":\"Patient\",\"text\":{\"status\":\"generated\","
								+ "\"div\":\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\"><p>x</p>" + xhtml
								+ "</div>\"}}")
				.expect(422)
				.also(response ->
						assertThat(response.body()).doesNotContain("alert(1)").doesNotContain("evil.example"));
	}

	private String containedWithScript() {
		return replace(
				srs,
				"\"status\":\"completed\"",
				"\"contained\":[{\"resourceType\":\"Patient\",\"id\":\"p\","
						+ "\"text\":{\"status\":\"generated\",\"div\":\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\">"
						+ "<script>alert(1)</script></div>\"}}],\"status\":\"completed\"");
	}

	private String transactionWithScript() {
		return "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
				+ "{\"resource\":{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Robustness\"}]},"
				+ "\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},"
				+ "{\"resource\":{\"resourceType\":\"Patient\",\"text\":{\"status\":\"generated\",\"div\":"
				+ "\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\"><script>alert(1)</script></div>\"}},"
				+ "\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}]}";
	}

	/** A Questionnaire with one decimal item 'total' carrying the SDC expression extension of the kind given. */
	static String questionnaireWith(String kind, String fhirPath) {
		return "{\"resourceType\":\"Questionnaire\",\"status\":\"draft\",\"url\":\"https://alliancefhir.org/fhir/"
				+ "test/Questionnaire/robustness-" + UUID.randomUUID() + "\",\"version\":\"1\",\"item\":[{\"linkId\":"
				+ "\"total\",\"type\":\"decimal\",\"extension\":[{\"url\":\"http://hl7.org/fhir/uv/sdc/StructureDefinition/"
				+ "sdc-questionnaire-" + kind + "\",\"valueExpression\":{\"language\":\"text/fhirpath\",\"expression\":"
				+ jsonString(fhirPath) + "}}]}]}";
	}

	/** The UTF-8 bytes of the text with its first '#' replaced by the given raw bytes. */
	private static byte[] withRawBytes(String text, int... raw) {
		byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
		int at = text.substring(0, text.indexOf('#')).getBytes(StandardCharsets.UTF_8).length;
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		bytes.write(utf8, 0, at);
		for (int b : raw) {
			bytes.write(b);
		}
		bytes.write(utf8, at + 1, utf8.length - at - 1);
		return bytes.toByteArray();
	}

	private HostileCase freeText(String name, String text, int status) {
		return post(name, QR, JSON, freeTextResponse(text)).expect(status);
	}

	static String freeTextResponse(String text) {
		return "{\"resourceType\":\"QuestionnaireResponse\",\"questionnaire\":\"" + FREE_TEXT + "\","
				+ "\"status\":\"completed\",\"subject\":{\"reference\":\"" + SUBJECT + "\"},"
				+ "\"authored\":\"2026-11-20T10:00:00+01:00\","
				+ "\"item\":[{\"linkId\":\"comment\",\"answer\":[{\"valueString\":" + jsonString(text) + "}]}]}";
	}

	/** A JSON string literal with every character outside printable ASCII escaped, lone surrogates included. */
	static String jsonString(String text) {
		StringBuilder json = new StringBuilder("\"");
		for (char c : text.toCharArray()) {
			if (c == '"' || c == '\\') {
				json.append('\\').append(c);
			} else if (c < 0x20 || c > 0x7e) {
				json.append(String.format("\\u%04x", (int) c));
			} else {
				json.append(c);
			}
		}
		return json.append('"').toString();
	}

	private String authored(String value) {
		return replace(srs, "\"authored\":\"2026-11-20T10:00:00+01:00\"", "\"authored\":\"" + value + "\"");
	}

	private String inEncounter(String encounter) {
		return replace(srs, "\"authored\":", "\"encounter\":{\"reference\":\"" + encounter + "\"},\"authored\":");
	}

	private String duplicateLinkId() {
		String firstItem = "{\"linkId\":\"q1\",\"answer\":[{\"valueDecimal\":7.5}]}";
		return replace(srs, firstItem, firstItem + "," + firstItem);
	}

	private static String withId(String resource, String id) {
		return resource.replaceFirst("\\{", "{\"id\":\"" + id + "\",");
	}

	private static String encounter(String id, String subject) {
		return "{\"resourceType\":\"Encounter\",\"id\":\"" + id + "\",\"status\":\"finished\",\"class\":{\"system\":"
				+ "\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"AMB\"},"
				+ "\"subject\":{\"reference\":\"" + subject + "\"}}";
	}

	private static String clientScore() {
		return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"identifier\":[{\"system\":"
				+ "\"https://alliancefhir.org/fhir/identifier/derived-score\",\"value\":\"client\"}],"
				+ "\"code\":{\"coding\":[{\"system\":\"" + SCORE_SYSTEM + "\",\"code\":\"srs-total\"}]},"
				+ "\"subject\":{\"reference\":\"" + SUBJECT + "\"},\"valueQuantity\":{\"value\":40}}";
	}

	private String transactionWithBadEntry() {
		return "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
				+ "{\"resource\":{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Robustness\"}]},"
				+ "\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},"
				+ "{\"resource\":" + freeTextResponse("lone \uD800") + ",\"request\":{\"method\":\"POST\","
				+ "\"url\":\"QuestionnaireResponse\"}}]}";
	}

	private String pageOfLocations(int size) {
		String[] system = pageTag.split("\\|");
		StringBuilder bundle = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
		for (int i = 0; i < size; i++) {
			bundle.append(i == 0 ? "" : ",")
					.append("{\"resource\":{\"resourceType\":\"Location\",\"meta\":{\"tag\":[{\"system\":\"")
					.append(system[0])
					.append("\",\"code\":\"")
					.append(system[1])
					.append("\"}]},\"name\":\"page filler\"},\"request\":{\"method\":\"POST\",\"url\":\"Location\"}}");
		}
		return bundle.append("]}").toString();
	}

	private static String padded(String resource, int size) {
		return resource.replaceFirst("\\{", "{\"language\":\"" + "x".repeat(size) + "\",");
	}

	private String nestedItems(int depth) {
		StringBuilder chain = new StringBuilder("{\"linkId\":\"deepest\"}");
		for (int i = 0; i < depth; i++) {
			chain.insert(0, "{\"linkId\":\"level-" + i + "\",\"item\":[").append("]}");
		}
		return replace(srs, "\"item\":[", "\"item\":[" + chain + ",");
	}

	private String nestedArrays(int depth) {
		return srs.substring(0, srs.length() - 1) + ",\"extension\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
	}

	private String nestedExtensions(int depth) {
		StringBuilder chain = new StringBuilder("{\"url\":\"https://example.org/deepest\",\"valueString\":\"x\"}");
		for (int i = 0; i < depth; i++) {
			chain.insert(0, "{\"url\":\"https://example.org/level-" + i + "\",\"extension\":[")
					.append("]}");
		}
		return srs.substring(0, srs.length() - 1) + ",\"extension\":[" + chain + "]}";
	}

	private String nestedXmlItems(int depth) {
		String open = "<item><linkId value=\"deep\"/>";
		return replace(srsXml, "<item>", open.repeat(depth) + "</item>".repeat(depth) + "<item>");
	}

	private String xxe(String systemId) {
		String entity = systemId.startsWith("http")
				? "<!DOCTYPE QuestionnaireResponse SYSTEM \"" + systemId + "\">"
				: "<!DOCTYPE QuestionnaireResponse [<!ENTITY leak SYSTEM \"" + systemId + "\">]>";
		return "<?xml version=\"1.0\"?>" + entity
				+ replace(
						srsXml,
						"<status value=\"completed\"/>",
						"<identifier><value value=\"&leak;\"/></identifier><status value=\"completed\"/>");
	}

	private static String xxeInNarrative() {
		return "<?xml version=\"1.0\"?><!DOCTYPE Patient [<!ENTITY leak SYSTEM \"file:///etc/passwd\">]>"
				+ "<Patient xmlns=\"http://hl7.org/fhir\"><text><status value=\"generated\"/>"
				+ "<div xmlns=\"http://www.w3.org/1999/xhtml\">&leak;</div></text></Patient>";
	}

	/** A response the server would refuse anyway (no questionnaire), behind a DTD that fetches from {@link #dtdUrl}. */
	private String externalParameterEntity() {
		return "<?xml version=\"1.0\"?><!DOCTYPE QuestionnaireResponse [<!ENTITY % remote SYSTEM \"" + dtdUrl()
				+ "\"> %remote;]><QuestionnaireResponse xmlns=\"http://hl7.org/fhir\"><status value=\"completed\"/>"
				+ "</QuestionnaireResponse>";
	}

	private static String billionLaughs() {
		StringBuilder dtd = new StringBuilder("<!ENTITY lol0 \"lol\">");
		for (int i = 1; i <= 9; i++) {
			dtd.append("<!ENTITY lol")
					.append(i)
					.append(" \"")
					.append(("&lol" + (i - 1) + ";").repeat(10))
					.append("\">");
		}
		return "<?xml version=\"1.0\"?><!DOCTYPE QuestionnaireResponse [" + dtd + "]>"
				+ "<QuestionnaireResponse xmlns=\"http://hl7.org/fhir\"><identifier><value value=\"&lol9;\"/>"
				+ "</identifier><status value=\"completed\"/></QuestionnaireResponse>";
	}

	private String dtdUrl() {
		return "http://127.0.0.1:" + dtdServer.getAddress().getPort() + "/evil.dtd";
	}

	private static byte[] gzipBomb(int inflatedBytes) throws IOException {
		ByteArrayOutputStream compressed = new ByteArrayOutputStream();
		try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
			gzip.write("{\"resourceType\":\"QuestionnaireResponse\",\"language\":\"".getBytes(StandardCharsets.UTF_8));
			byte[] zeros = new byte[1024 * 1024];
			Arrays.fill(zeros, (byte) '0');
			for (int written = 0; written < inflatedBytes; written += zeros.length) {
				gzip.write(zeros);
			}
			gzip.write("\"}".getBytes(StandardCharsets.UTF_8));
		}
		return compressed.toByteArray();
	}

	private static byte[] gzip(byte[] body) throws IOException {
		ByteArrayOutputStream compressed = new ByteArrayOutputStream();
		try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
			gzip.write(body);
		}
		return compressed.toByteArray();
	}

	// ---- response checks

	private Consumer<HttpResponse<String>> leaksNothing() {
		return response -> {
			assertThat(response.body()).doesNotContain("root:").doesNotContain("LEAKED");
			assertThat(dtdFetches).as("requests to the external DTD").hasValue(0);
		};
	}

	private Consumer<HttpResponse<String>> issueCode(String code) {
		return response -> assertThat(fhirContext
						.newJsonParser()
						.parseResource(OperationOutcome.class, response.body())
						.getIssueFirstRep()
						.getCode()
						.toCode())
				.isEqualTo(code);
	}

	private Consumer<HttpResponse<String>> diagnosticsContain(String text) {
		return response -> assertThat(fhirContext
						.newJsonParser()
						.parseResource(OperationOutcome.class, response.body())
						.getIssueFirstRep()
						.getDiagnostics())
				.contains(text);
	}

	private Consumer<HttpResponse<String>> total(int expected) {
		return response -> assertThat(fhirContext
						.newJsonParser()
						.parseResource(Bundle.class, response.body())
						.getTotal())
				.isEqualTo(expected);
	}

	private static Consumer<HttpResponse<String>> noRawScript() {
		return response -> assertThat(response.body()).doesNotContain("<script>");
	}

	private Consumer<HttpResponse<String>> pageOfAtMostTheMaximumWithANextLink() {
		return response -> {
			Bundle page = fhirContext.newJsonParser().parseResource(Bundle.class, response.body());
			assertThat(page.getEntry()).hasSize(MAXIMUM_PAGE_SIZE);
			assertThat(page.getLink(Bundle.LINK_NEXT)).isNotNull();
		};
	}

	// ---- helpers

	private static String replace(String text, String target, String replacement) {
		assertThat(text).as("template").contains(target);
		return text.replaceFirst(Pattern.quote(target), Matcher.quoteReplacement(replacement));
	}

	private static String encoded(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static String abbreviated(String body) {
		return body.length() <= 600 ? body : body.substring(0, 600) + "…";
	}

	private static String classpathText(String path) {
		try (InputStream in = HostileInputIT.class.getClassLoader().getResourceAsStream(path)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		} catch (IOException e) {
			throw new IllegalStateException(path, e);
		}
	}

	private String classpath(String path) throws IOException {
		try (InputStream in = getClass().getClassLoader().getResourceAsStream(path)) {
			assertThat(in).as(path).isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}
}
