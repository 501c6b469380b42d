package org.alliancefhir.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

/** {@code Patient/[id]/$alliance-summary} gives an EHR the series, changes, open alerts and split indices at once. */
class AllianceSummaryIT extends FeedbackIntegrationTest {

	@Test
	void summarisesEverySeriesWithLatestPreviousChangeAndTheOpenAlerts() {
		String client = patient("1995-04-04");
		create(srs(client, day(0), 38.0));
		create(srs(client, day(1), 37.0));
		create(srs(client, day(2), 34.5));
		create(coded("wav-12-client", client, client, day(2), null, "f4"));

		Parameters summary = summary(client, "");

		assertThat(summary.getParameter("patient").getValue()).hasFieldOrPropertyWithValue("reference", client);
		ParametersParameterComponent srs = series(summary, "srs-total");
		assertThat(value(srs, "latest")).isEqualByComparingTo("34.5");
		assertThat(value(srs, "previous")).isEqualByComparingTo("37.0");
		assertThat(value(srs, "change")).isEqualByComparingTo("-2.5");
		assertThat(((Coding) part(srs, "code").getValue()).getCode()).isEqualTo("srs-total");
		assertThat(part(srs, "count").getValue().primitiveValue()).isEqualTo("3");
		assertThat(srs.getPart().stream().filter(p -> p.getName().equals("point")))
				.extracting(p ->
						((Quantity) p.getPart().get(1).getValue()).getValue().doubleValue())
				.containsExactly(38.0, 37.0, 34.5);
		assertThat(((org.hl7.fhir.r4.model.CodeableConcept)
								part(srs, "interpretation").getValue())
						.getCodingFirstRep()
						.getCode())
				.isEqualTo("L");
		ParametersParameterComponent wav = series(summary, "wav-12-client-total");
		assertThat(value(wav, "latest")).isEqualByComparingTo("48");
		assertThat(wav.getPart()).noneMatch(p -> p.getName().equals("previous"));
		assertThat(resources(summary, "alert", Task.class))
				.extracting(t -> t.getCode().getCodingFirstRep().getCode())
				.as("the first drop's alert is replaced by the second's (issue 17)")
				.containsExactlyInAnyOrder("alert-drop", "alert-below-cut-off");
		assertThat(resources(summary, "flag", Flag.class))
				.as("only the urgent below-cut-off rule raises a Flag (issue 17)")
				.hasSize(1);
	}

	@Test
	void includesEveryPointAndAlertBeyondOnePageOfSearchResults() {
		String client = patient("1995-04-04");
		int sessions = 24;
		for (int session = 0; session < sessions; session++) {
			create(srs(client, day(session), session % 2 == 0 ? 34.0 : 30.0));
		}

		Parameters summary = summary(client, "");

		ParametersParameterComponent srs = series(summary, "srs-total");
		assertThat(part(srs, "count").getValue().primitiveValue()).isEqualTo(String.valueOf(sessions));
		assertThat(srs.getPart().stream().filter(p -> p.getName().equals("point")))
				.hasSize(sessions);
		assertThat(value(srs, "latest")).isEqualByComparingTo("30.0");
		// every session is below the cut-off, so the server stores a Flag per session (more than a page) and each later
		// alert ends the one before it (issue 17): the summary holds the open ones of the latest session
		assertThat(resources(summary, "alert", Task.class))
				.extracting(t -> t.getCode().getCodingFirstRep().getCode() + " " + scoreValue(t.getFocus()))
				.containsExactlyInAnyOrder("alert-drop 30.0", "alert-below-cut-off 30.0");
		assertThat(resources(summary, "flag", Flag.class)).hasSize(1);
		assertThat(flags(client)).hasSize(sessions);
	}

	@Test
	void filtersByInstrumentAndPeriod() {
		String client = patient("1995-04-04");
		create(srs(client, day(0), 38.0));
		create(srs(client, day(5), 33.0));
		create(coded("wav-12-client", client, client, day(5), null, "f4"));

		Parameters onlySrs = summary(client, "?instrument=srs");
		assertThat(onlySrs.getParameter())
				.filteredOn(p -> p.getName().equals("series"))
				.hasSize(1);

		Parameters firstDays = summary(client, "?start=2026-01-01&end=2026-01-03");
		ParametersParameterComponent srs = series(firstDays, "srs-total");
		assertThat(part(srs, "count").getValue().primitiveValue()).isEqualTo("1");
		assertThat(resources(firstDays, "alert", Task.class)).isEmpty();
	}

	@Test
	void anUnknownPatientIs404AndBadDatesAre400() throws Exception {
		assertThat(get("/Patient/does-not-exist/$alliance-summary").statusCode())
				.isEqualTo(404);

		String client = patient("1995-04-04");
		HttpResponse<String> badDate = get("/" + client + "/$alliance-summary?start=next-tuesday");
		assertThat(badDate.statusCode()).isEqualTo(400);
		assertThat(outcome(badDate)).contains("start must be a FHIR date");
		HttpResponse<String> reversed = get("/" + client + "/$alliance-summary?start=2026-05-01&end=2026-01-01");
		assertThat(reversed.statusCode()).isEqualTo(400);
		assertThat(outcome(reversed)).contains("is after end");
	}

	@Test
	void theCapabilityStatementPublishesTheOperation() {
		CapabilityStatement capabilities =
				client().capabilities().ofType(CapabilityStatement.class).execute();

		assertThat(capabilities.getRestFirstRep().getResource())
				.filteredOn(r -> r.getType().equals("Patient"))
				.flatExtracting(CapabilityStatement.CapabilityStatementRestResourceComponent::getOperation)
				.anySatisfy(o -> {
					assertThat(o.getName()).isEqualTo("alliance-summary");
					assertThat(o.getDefinition())
							.isEqualTo("https://alliancefhir.org/fhir/OperationDefinition/alliance-summary");
				});
	}

	private Parameters summary(String patient, String query) {
		awaitFeedback();
		try {
			HttpResponse<String> response = get("/" + patient + "/$alliance-summary" + query);
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			return fhirContext.newJsonParser().parseResource(Parameters.class, response.body());
		} catch (Exception e) {
			throw new IllegalStateException(e);
		}
	}

	private HttpResponse<String> get(String path) throws Exception {
		return send(request(path).header("Cache-Control", "no-cache"));
	}

	private String outcome(HttpResponse<String> response) {
		return fhirContext
				.newJsonParser()
				.parseResource(OperationOutcome.class, response.body())
				.getIssueFirstRep()
				.getDiagnostics();
	}

	private static ParametersParameterComponent series(Parameters summary, String code) {
		return summary.getParameter().stream()
				.filter(p -> p.getName().equals("series"))
				.filter(p -> ((Coding) part(p, "code").getValue()).getCode().equals(code))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no series " + code));
	}

	private static ParametersParameterComponent part(ParametersParameterComponent parameter, String name) {
		return parameter.getPart().stream()
				.filter(p -> p.getName().equals(name))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no part " + name));
	}

	private static java.math.BigDecimal value(ParametersParameterComponent series, String name) {
		return ((Quantity) part(series, name).getValue()).getValue();
	}

	private static <T> List<T> resources(Parameters summary, String name, Class<T> type) {
		return summary.getParameter().stream()
				.filter(p -> p.getName().equals(name))
				.map(p -> type.cast(p.getResource()))
				.toList();
	}
}
