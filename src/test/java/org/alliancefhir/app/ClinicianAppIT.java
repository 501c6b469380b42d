package org.alliancefhir.app;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.StreamSupport;
import org.alliancefhir.server.ServerIntegrationTest;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

/**
 * The clinician dashboard and the session form in headless Chromium against a family's stored series (development
 * mode, {@code /app/?patient=<id>}): the tables show the stored numbers and dates, the cut-off band is drawn, alerts
 * are listed and acted on over FHIR, a response posted from the form appears on the dashboard, and a refusal keeps
 * every answer.
 */
class ClinicianAppIT extends ServerIntegrationTest {

	/**
	 * WCAG 2.1 AA text contrast (4.5:1, large text 3:1) on the desktop dashboard and on a portrait tablet, nothing wider
	 * than the tablet, touch targets of at least 24 CSS pixels, and lines marked by a tap where the finger touched.
	 */
	private static void assertReadableOnEveryScreen(JsonNode desktop, JsonNode tablet) {
		assertThat(desktop.path("lowContrast"))
				.as("low contrast on the dashboard")
				.isEmpty();
		for (String page : List.of("dashboard", "form")) {
			JsonNode layout = tablet.path(page);
			assertThat(layout.path("overflow").asInt())
					.as("%s wider than a tablet", page)
					.isLessThanOrEqualTo(0);
			assertThat(layout.path("lowContrast"))
					.as("low contrast on the tablet %s", page)
					.isEmpty();
			assertThat(layout.path("smallestTarget").path("size").asDouble())
					.as("smallest touch target of the %s: %s", page, layout.path("smallestTarget"))
					.isGreaterThanOrEqualTo(24);
		}
		assertThat(tablet.path("tapped")).hasSize(4);
		tablet.path("tapped").forEach(value -> assertThat(value.asDouble())
				.as("a tap a quarter along a 0–10 line")
				.isBetween(2.3, 2.7));
	}

	private static final String NOTE = "Besproken in de sessie";
	private static final Duration FEEDBACK_WAIT = Duration.ofSeconds(30);

	@Test
	void dashboardAndSessionFormShowAndChangeTheServersData() throws IOException, InterruptedException {
		FamilySeries family = FamilySeries.store(client());
		Task belowCutOff = awaitFeedback(family);
		// issue 17: only the urgent below-cut-off rule raises a Flag, and the session's drop alert is routine; the app
		// completes the drop Task and deactivates the Flag of the (still open) below-cut-off alert
		Task drop = openTask(family, "srs-drop/");
		Flag belowCutOffFlag = activeFlag(family, "srs-below-cut-off/");

		JsonNode report = BrowserScript.run(
				"dashboard",
				plan(
						"base",
						"http://localhost:" + port,
						"patient",
						family.patientId(),
						"completeTask",
						drop.getIdElement().getIdPart(),
						"note",
						NOTE,
						"deactivateFlag",
						belowCutOffFlag.getIdElement().getIdPart(),
						"srsCanonical",
						FamilySeries.SRS,
						"srsValues",
						List.of(8.5, 9.0, 8.4, 8.7),
						"softaCanonical",
						FamilySeries.SOFTA_O,
						"observer",
						family.therapist,
						"vanishingMember",
						family.uncle,
						"screenshots",
						BrowserScript.SCREENSHOTS.toAbsolutePath().toString()));

		assertThat(report.path("error").asText("")).as("script error").isEmpty();
		JsonNode before = report.path("before");
		assertThat(rows(chart(before, "srs-totals")))
				.extracting(row -> row.subList(0, 5))
				.containsExactly(
						List.of("02-10-2026", "cliënt", "37,8", "Binnen de referentiewaarden", ""),
						List.of("09-10-2026", "cliënt", "36,6", "Binnen de referentiewaarden", "▼ -1,2 (verslechterd)"),
						List.of("16-10-2026", "cliënt", "33,8", "Onder de grenswaarde", "▼ -2,8 (verslechterd)"));
		assertThat(chart(before, "srs-totals").path("markers").asInt()).isEqualTo(2);
		assertBand(chart(before, "srs-totals"), 36, 40);
		assertBand(chart(before, "ors-totals"), 28, 40);
		assertThat(rows(chart(before, "ors-totals")))
				.extracting(row -> row.subList(0, 3))
				.containsExactly(List.of("02-10-2026", "cliënt", "19"), List.of("16-10-2026", "cliënt", "27"));
		assertThat(rows(chart(before, "wav-12-totals")))
				.extracting(row -> row.subList(0, 3))
				.containsExactly(
						List.of("02-10-2026", "cliënt", "51"),
						List.of("16-10-2026", "cliënt", "39"),
						List.of("16-10-2026", "hulpverlener", "51"));
		assertThat(rows(chart(before, "wav-12-components")))
				.extracting(row -> row.subList(0, 3))
				.contains(
						List.of("16-10-2026", "WAV-12 cliënt subschaalscore Band – cliënt", "15"),
						List.of("16-10-2026", "WAV-12 cliënt subschaalscore Doelen – cliënt", "12"),
						List.of("16-10-2026", "WAV-12 hulpverlener subschaalscore Band – hulpverlener", "19"));
		JsonNode engagement = charts(before, "softa-o-dimension").get(0);
		assertThat(engagement.path("title").asText())
				.isEqualTo("SOFTA-o score betrokkenheid bij het hulpverleningsproces");
		assertThat(rows(engagement))
				.extracting(row -> row.subList(0, 3))
				.contains(
						List.of("16-10-2026", "cliënt", "1,5"),
						List.of("16-10-2026", "Moeder (ouder)", "2"),
						List.of("16-10-2026", "Vader (ouder)", "-1"));
		assertThat(split(before, "softa-o-engagement-split"))
				.contains(
						"Binnen het gezin: paren aan weerszijden van 0: 2",
						"Binnen het gezin: spreiding (max − min): 3",
						"Aantal gezinsleden: 3");
		assertThat(split(before, "wav-12-total-discrepancy")).contains("Verschil gezin − hulpverlener: -12");
		assertAccessible(before, report.path("keyboard"));

		JsonNode listed = alert(before, belowCutOff.getIdElement().getIdPart());
		assertThat(listed.path("text").asText()).contains("SRS onder 36: bespreek de feedback met de cliënt");
		assertThat(listed.path("meta").asText()).contains("33,8 (16-10-2026)");
		assertThat(report.path("afterActions").path("alerts").findValuesAsText("task"))
				.doesNotContain(drop.getIdElement().getIdPart())
				.contains(belowCutOff.getIdElement().getIdPart());
		assertThat(report.path("afterActions").path("alerts").findValuesAsText("flag"))
				.doesNotContain(belowCutOffFlag.getIdElement().getIdPart());
		Task completed = client().read()
				.resource(Task.class)
				.withId(drop.getIdElement().getIdPart())
				.execute();
		assertThat(completed.getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
		assertThat(completed.getNoteFirstRep().getText()).isEqualTo(NOTE);
		Flag inactive = client().read()
				.resource(Flag.class)
				.withId(belowCutOffFlag.getIdElement().getIdPart())
				.execute();
		assertThat(inactive.getStatus()).isEqualTo(Flag.FlagStatus.INACTIVE);

		JsonNode english = report.path("english");
		assertThat(english.path("alerts").findValuesAsText("text"))
				.anySatisfy(text -> assertThat(text).contains("SRS below 36: discuss the feedback with the client"));
		assertThat(rows(chart(english, "srs-totals")).get(2).subList(0, 3))
				.containsExactly("16/10/2026", "client", "33.8");

		assertSessionForm(report.path("form"), family);
		String today = LocalDate.now().format(DateTimeFormatter.ofPattern("dd-MM-yyyy"));
		assertThat(rows(chart(report.path("after"), "srs-totals")))
				.hasSize(4)
				.last()
				.satisfies(row ->
						assertThat(row.subList(0, 4)).containsExactly(today, "cliënt", "34,6", "Onder de grenswaarde"));

		assertRefusalKeptTheAnswers(report.path("refusal"), family);
		assertThat(report.path("expectedErrors"))
				.as("the provoked refusal, logged by the browser")
				.hasSize(1);
		assertReadableOnEveryScreen(report.path("desktop"), report.path("tablet"));
		assertThat(report.path("consoleErrors")).as("console errors").isEmpty();
	}

	private void assertSessionForm(JsonNode form, FamilySeries family) {
		assertThat(form.path("sliders").asInt()).isEqualTo(4);
		assertThat(texts(form.path("marks"))).containsExactly("8.5", "9", "8.4", "8.7");
		assertThat(form.path("score").asText()).isEqualTo("34,6");
		assertThat(form.path("resultText").asText()).contains("Onder de grenswaarde", "Vorige keer (16-10-2026): 33,8");
		assertThat(form.path("signals").asText()).contains("SRS onder 36");
		QuestionnaireResponse posted = responses(family, FamilySeries.SRS).get(0);
		assertThat(posted.getQuestionnaire()).isEqualTo(FamilySeries.SRS);
		assertThat(posted.getStatus()).isEqualTo(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
		assertThat(posted.getAuthor().getReference()).isEqualTo(family.patient);
		assertThat(posted.getAuthoredElement().getValueAsString())
				.matches(".*T\\d\\d:\\d\\d:\\d\\d([+-]\\d\\d:\\d\\d|Z)");
		Bundle scores = client().search()
				.forResource(Observation.class)
				.where(Observation.DERIVED_FROM.hasId(
						"QuestionnaireResponse/" + posted.getIdElement().getIdPart()))
				.returnBundle(Bundle.class)
				.execute();
		assertThat(scores.getEntry())
				.extracting(e -> ((Observation) e.getResource())
						.getValueQuantity()
						.getValue()
						.toPlainString())
				.containsExactly("34.6");
	}

	private void assertRefusalKeptTheAnswers(JsonNode refusal, FamilySeries family) {
		assertThat(refusal.path("deleteStatus").asInt()).isBetween(200, 204);
		assertThat(refusal.path("problems").asText())
				.contains("De server heeft de vragenlijst niet opgeslagen", family.uncle, "does not exist");
		assertThat(refusal.path("radioGroups").asInt()).isEqualTo(13);
		assertThat(refusal.path("checkedAfterRefusal").asInt()).isEqualTo(13);
		assertThat(refusal.path("checkedAfterReload").asInt()).isEqualTo(13);
		assertThat(refusal.path("storedAfterFix").asBoolean()).isTrue();
		List<QuestionnaireResponse> softa = responses(family, FamilySeries.SOFTA_O);
		assertThat(softa).hasSize(3);
		assertThat(softa.get(0).getItem().stream()
						.filter(item -> item.getLinkId().equals("member"))
						.count())
				.isEqualTo(3);
	}

	private static void assertAccessible(JsonNode dashboard, JsonNode keyboard) {
		for (JsonNode chart : dashboard.path("charts")) {
			assertThat(chart.path("svgRole").asText())
					.as(chart.path("id").asText())
					.isEqualTo("img");
			assertThat(chart.path("svgLabel").asText())
					.as(chart.path("id").asText())
					.isNotBlank();
			assertThat(chart.path("caption").asText())
					.as(chart.path("id").asText())
					.isNotBlank();
		}
		assertThat(texts(keyboard)).contains("action complete", "table-wrapper");
	}

	private static void assertBand(JsonNode chart, double low, double high) {
		assertThat(chart.path("band").path("low").asDouble()).isEqualTo(low);
		assertThat(chart.path("band").path("high").asDouble()).isEqualTo(high);
		assertThat(chart.path("band").path("height").asDouble())
				.as("drawn band height")
				.isPositive();
	}

	/** Waits until the feedback rules have raised the family's alerts and comparisons (they may run after the POST). */
	private Task awaitFeedback(FamilySeries family) throws InterruptedException {
		long deadline = System.nanoTime() + FEEDBACK_WAIT.toNanos();
		while (true) {
			List<Task> tasks = resources(() -> client().search()
					.forResource(Task.class)
					.where(Task.PATIENT.hasId(family.patient))
					.and(Task.STATUS.exactly().code("requested"))
					.returnBundle(Bundle.class)
					.execute());
			List<Observation> comparisons = resources(() -> client().search()
					.forResource(Observation.class)
					.where(Observation.SUBJECT.hasId(family.patient))
					.and(Observation.CODE
							.exactly()
							.systemAndCode(
									"https://alliancefhir.org/fhir/CodeSystem/alliance-feedback", "srs-total-change"))
					.returnBundle(Bundle.class)
					.execute());
			List<Task> belowCutOff = tasks.stream()
					.filter(task -> task.getIdentifierFirstRep().getValue().startsWith("srs-below-cut-off/"))
					.toList();
			if (belowCutOff.size() == 1
					&& comparisons.size() == 2
					&& activeFlagOrNull(family, "srs-below-cut-off/") != null) {
				return belowCutOff.get(0);
			}
			assertThat(System.nanoTime()).as("feedback within " + FEEDBACK_WAIT).isLessThan(deadline);
			Thread.sleep(250);
		}
	}

	private Task openTask(FamilySeries family, String identifierPrefix) {
		return this.<Task>resources(() -> client().search()
						.forResource(Task.class)
						.where(Task.PATIENT.hasId(family.patient))
						.and(Task.STATUS.exactly().code("requested"))
						.returnBundle(Bundle.class)
						.execute())
				.stream()
				.filter(task -> task.getIdentifierFirstRep().getValue().startsWith(identifierPrefix))
				.findFirst()
				.orElseThrow(() -> new AssertionError("open task " + identifierPrefix));
	}

	private Flag activeFlag(FamilySeries family, String identifierPrefix) {
		Flag flag = activeFlagOrNull(family, identifierPrefix);
		assertThat(flag).as("active flag " + identifierPrefix).isNotNull();
		return flag;
	}

	private Flag activeFlagOrNull(FamilySeries family, String identifierPrefix) {
		return this.<Flag>resources(() -> client().search()
						.forResource(Flag.class)
						.where(Flag.PATIENT.hasId(family.patient))
						.returnBundle(Bundle.class)
						.execute())
				.stream()
				.filter(flag -> flag.getStatus() == Flag.FlagStatus.ACTIVE)
				.filter(flag -> flag.getIdentifierFirstRep().getValue().startsWith(identifierPrefix))
				.findFirst()
				.orElse(null);
	}

	/** The family's responses to one Questionnaire, newest first. */
	private List<QuestionnaireResponse> responses(FamilySeries family, String questionnaire) {
		return this.<QuestionnaireResponse>resources(() -> client().search()
						.forResource(QuestionnaireResponse.class)
						.where(QuestionnaireResponse.SUBJECT.hasId(family.patient))
						.sort()
						.descending("authored")
						.returnBundle(Bundle.class)
						.execute())
				.stream()
				.filter(response -> response.getQuestionnaire().equals(questionnaire))
				.toList();
	}

	@SuppressWarnings("unchecked")
	private <T> List<T> resources(Supplier<Bundle> search) {
		IGenericClient client = client();
		List<T> result = new ArrayList<>();
		Bundle bundle = search.get();
		while (bundle != null) {
			bundle.getEntry().forEach(entry -> result.add((T) entry.getResource()));
			bundle = bundle.getLink(Bundle.LINK_NEXT) == null
					? null
					: client.loadPage().next(bundle).execute();
		}
		return result;
	}

	private static Map<String, Object> plan(Object... namesAndValues) {
		Map<String, Object> plan = new LinkedHashMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			plan.put((String) namesAndValues[i], namesAndValues[i + 1]);
		}
		return plan;
	}

	private static JsonNode chart(JsonNode dashboard, String prefix) {
		List<JsonNode> found = charts(dashboard, prefix);
		assertThat(found).as("chart " + prefix).hasSize(1);
		return found.get(0);
	}

	private static List<JsonNode> charts(JsonNode dashboard, String prefix) {
		return StreamSupport.stream(dashboard.path("charts").spliterator(), false)
				.filter(chart -> chart.path("id").asText().startsWith(prefix + "-"))
				.toList();
	}

	private static List<List<String>> rows(JsonNode chart) {
		return StreamSupport.stream(chart.path("rows").spliterator(), false)
				.map(ClinicianAppIT::texts)
				.toList();
	}

	private static String split(JsonNode dashboard, String code) {
		return StreamSupport.stream(dashboard.path("splits").spliterator(), false)
				.filter(split -> split.path("code").asText().equals(code))
				.map(split -> split.path("cells").get(2).asText())
				.findFirst()
				.orElse("(no split " + code + ")");
	}

	private static JsonNode alert(JsonNode dashboard, String taskId) {
		return StreamSupport.stream(dashboard.path("alerts").spliterator(), false)
				.filter(alert -> alert.path("task").asText().equals(taskId))
				.findFirst()
				.orElseThrow(() -> new AssertionError("alert for Task/" + taskId + " not listed"));
	}

	private static List<String> texts(JsonNode array) {
		return StreamSupport.stream(array.spliterator(), false)
				.map(JsonNode::asText)
				.toList();
	}
}
