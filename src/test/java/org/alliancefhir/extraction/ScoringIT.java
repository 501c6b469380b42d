package org.alliancefhir.extraction;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.alliancefhir.content.ProjectUrls;
import org.alliancefhir.fixtures.ExpectedScore;
import org.alliancefhir.fixtures.FixtureSet;
import org.alliancefhir.scoring.SdcExtensions;
import org.assertj.core.api.SoftAssertions;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fixture of every instrument, posted over HTTP, yields exactly the score Observations its
 * {@code expected-scores.csv} describes, in the shape an EHR relies on, valid against the project's profile.
 */
class ScoringIT extends ScoringIntegrationTest {

	static Stream<Arguments> completeFixtures() {
		return FixtureSet.under("fixtures", "profiles").stream().flatMap(set -> set.scenarios().stream()
				.filter(scenario -> !scenario.contains("skipped"))
				.map(scenario -> Arguments.of(set, scenario)));
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("completeFixtures")
	void storingAFixtureDerivesTheExpectedScoreObservations(FixtureSet set, String scenario) {
		QuestionnaireResponse response = fixture(set.id(), scenario);
		Questionnaire questionnaire =
				client().read().resource(Questionnaire.class).withId(set.id()).execute();

		String id = create(response);
		List<Observation> observations = derivedFrom(id);

		Map<String, Optional<BigDecimal>> expected = new HashMap<>();
		set.rows(scenario).forEach(row -> expected.put(key(row.linkId(), row.groupInstancePath()), row.expected()));
		Map<String, String> linkIdByCode = linkIdsByCode(questionnaire);
		SoftAssertions softly = new SoftAssertions();
		softly.assertThat(observations)
				.extracting(o -> o.getIdentifierFirstRep().getValue())
				.containsExactlyInAnyOrderElementsOf(expectedObservationKeys(questionnaire, set.rows(scenario)).stream()
						.map(k -> "QuestionnaireResponse/" + id + "/" + k)
						.toList());
		for (Observation observation : observations) {
			String key = observation
					.getIdentifierFirstRep()
					.getValue()
					.substring(("QuestionnaireResponse/" + id + "/").length());
			String path = key.contains("/") ? key.substring(key.indexOf('/')) : "";
			if (observation.hasValueQuantity()) {
				softly.assertThat(observation.getValueQuantity().getValue())
						.as(key)
						.isEqualByComparingTo(expected.get(key).orElseThrow());
			}
			for (Observation.ObservationComponentComponent component : observation.getComponent()) {
				String linkId =
						linkIdByCode.get(component.getCode().getCodingFirstRep().getCode());
				softly.assertThat(component.getValueQuantity().getValue())
						.as(key + " component " + linkId)
						.isEqualByComparingTo(expected.get(linkId + path).orElseThrow());
				softly.assertThat(component.getValueQuantity().getCode()).isEqualTo("{score}");
			}
			assertCommonShape(softly, observation, response, id);
		}
		softly.assertAll();
	}

	@Test
	void scoreObservationsConformToTheProjectProfile() throws Exception {
		List<Observation> observations = new ArrayList<>();
		observations.addAll(derivedFrom(create(fixture("srs", "mixed"))));
		observations.addAll(derivedFrom(create(fixture("softa-o", "mixed"))));
		observations.addAll(derivedFrom(create(fixture("ors", "mixed"))));

		for (Observation observation : observations) {
			assertThat(profileErrors(observation))
					.as(observation.getIdentifierFirstRep().getValue())
					.isEmpty();
		}
		Observation withoutSubject = observations.get(0).copy();
		withoutSubject.setSubject(null);
		withoutSubject.getValueQuantity().setCode("kg");
		assertThat(profileErrors(withoutSubject))
				.as("the profile check itself finds errors")
				.anyMatch(m -> m.contains("subject"))
				.anyMatch(m -> m.contains("{score}"));
	}

	@Test
	void scoreObservationsCarryTheirQuestionnaireAndRaterAsProfiledExtensions() throws Exception {
		List<Observation> srs = derivedFrom(create(fixture("srs", "mixed")));
		List<Observation> softaO = derivedFrom(create(fixture("softa-o", "mixed")));

		assertThat(srs).isNotEmpty().allSatisfy(o -> {
			assertThat(extensionValue(o, ProjectUrls.SCORE_QUESTIONNAIRE_EXTENSION))
					.isEqualTo("https://alliancefhir.org/fhir/Questionnaire/srs|1.0.0");
			assertThat(extensionValue(o, ProjectUrls.RATER_PERSPECTIVE_EXTENSION))
					.isEqualTo("client");
		});
		assertThat(softaO).isNotEmpty().allSatisfy(o -> {
			assertThat(extensionValue(o, ProjectUrls.SCORE_QUESTIONNAIRE_EXTENSION))
					.isEqualTo("https://alliancefhir.org/fhir/Questionnaire/softa-o|1.0.0");
			assertThat(extensionValue(o, ProjectUrls.RATER_PERSPECTIVE_EXTENSION))
					.isEqualTo("observer");
		});
		Observation unknownRater = srs.get(0).copy();
		unknownRater.getExtensionByUrl(ProjectUrls.RATER_PERSPECTIVE_EXTENSION).setValue(new CodeType("grandparent"));
		Observation questionnaireAsText = srs.get(0).copy();
		questionnaireAsText
				.getExtensionByUrl(ProjectUrls.SCORE_QUESTIONNAIRE_EXTENSION)
				.setValue(new StringType("https://alliancefhir.org/fhir/Questionnaire/srs|1.0.0"));
		Observation twoRaters = srs.get(0).copy();
		twoRaters.addExtension(ProjectUrls.RATER_PERSPECTIVE_EXTENSION, new CodeType("parent"));
		assertThat(profileErrors(unknownRater)).anyMatch(m -> m.contains("grandparent"));
		assertThat(profileErrors(questionnaireAsText)).isNotEmpty();
		assertThat(profileErrors(twoRaters)).anyMatch(m -> m.contains("raterPerspective"));
	}

	private static String extensionValue(Observation observation, String url) {
		return observation.getExtensionByUrl(url).getValue().primitiveValue();
	}

	private List<String> profileErrors(Observation observation) throws Exception {
		HttpResponse<String> response = send(request("/Observation/$validate")
				.header("Content-Type", "application/fhir+json")
				.POST(HttpRequest.BodyPublishers.ofString(
						fhirContext.newJsonParser().encodeResourceToString(observation))));
		OperationOutcome outcome = fhirContext.newJsonParser().parseResource(OperationOutcome.class, response.body());
		return outcome.getIssue().stream()
				.filter(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR
						|| i.getSeverity() == OperationOutcome.IssueSeverity.FATAL)
				.map(i -> i.getDiagnostics())
				.toList();
	}

	private static void assertCommonShape(
			SoftAssertions softly, Observation observation, QuestionnaireResponse response, String id) {
		softly.assertThat(observation.getStatus()).isEqualTo(Observation.ObservationStatus.FINAL);
		softly.assertThat(observation.getCategoryFirstRep().getCodingFirstRep().getSystem())
				.isEqualTo("http://terminology.hl7.org/CodeSystem/observation-category");
		softly.assertThat(observation.getCategoryFirstRep().getCodingFirstRep().getCode())
				.isEqualTo("survey");
		softly.assertThat(observation.getCode().getCoding())
				.extracting(Coding::getSystem)
				.contains(SCORE_SYSTEM);
		softly.assertThat(observation.getSubject().getReference())
				.isEqualTo(response.getSubject().getReference());
		softly.assertThat(observation.getEffectiveDateTimeType().getValueAsString())
				.isEqualTo(response.getAuthoredElement().getValueAsString());
		softly.assertThat(observation.getPerformerFirstRep().getReference())
				.isEqualTo(response.getAuthor().getReference());
		softly.assertThat(observation.getDerivedFromFirstRep().getReference()).isEqualTo("QuestionnaireResponse/" + id);
		softly.assertThat(observation.getMeta().getProfile())
				.extracting(p -> p.getValue())
				.containsExactly("https://alliancefhir.org/fhir/StructureDefinition/alliance-score-observation");
		softly.assertThat(observation.getText().getDivAsString()).contains("Berekend door de server");
		if (observation.hasValueQuantity()) {
			softly.assertThat(observation.getValueQuantity().getSystem()).isEqualTo("http://unitsofmeasure.org");
			softly.assertThat(observation.getValueQuantity().getCode()).isEqualTo("{score}");
		}
	}

	/** The Observations a scenario must produce: extracted items (or panels) that have a value in the CSV. */
	private static Set<String> expectedObservationKeys(Questionnaire questionnaire, List<ExpectedScore> rows) {
		Set<String> extracted = new LinkedHashSet<>();
		collectExtracted(questionnaire.getItem(), extracted);
		Map<String, String> parents = new HashMap<>();
		collectComponentParents(questionnaire.getItem(), parents);
		Set<String> keys = new LinkedHashSet<>();
		for (ExpectedScore row : rows) {
			if (row.expected().isEmpty()) {
				continue;
			}
			if (extracted.contains(row.linkId())) {
				keys.add(key(row.linkId(), row.groupInstancePath()));
			}
			String parent = parents.get(row.linkId());
			if (parent != null && extracted.contains(parent) && !rowsHave(rows, parent)) {
				keys.add(key(parent, row.groupInstancePath()));
			}
		}
		return keys;
	}

	private static boolean rowsHave(List<ExpectedScore> rows, String linkId) {
		return rows.stream().anyMatch(r -> r.linkId().equals(linkId));
	}

	private static void collectExtracted(List<QuestionnaireItemComponent> items, Set<String> extracted) {
		for (QuestionnaireItemComponent item : items) {
			if (item.getExtensionByUrl(SdcExtensions.OBSERVATION_EXTRACT) != null
					&& item.getExtensionByUrl(SdcExtensions.OBSERVATION_EXTRACT).getValue() instanceof BooleanType flag
					&& flag.booleanValue()) {
				extracted.add(item.getLinkId());
			}
			collectExtracted(item.getItem(), extracted);
		}
	}

	private static void collectComponentParents(List<QuestionnaireItemComponent> items, Map<String, String> parents) {
		for (QuestionnaireItemComponent item : items) {
			item.getItem().forEach(child -> parents.put(child.getLinkId(), item.getLinkId()));
			collectComponentParents(item.getItem(), parents);
		}
	}

	private static Map<String, String> linkIdsByCode(Questionnaire questionnaire) {
		Map<String, String> byCode = new HashMap<>();
		collectCodes(questionnaire.getItem(), byCode);
		return byCode;
	}

	private static void collectCodes(List<QuestionnaireItemComponent> items, Map<String, String> byCode) {
		for (QuestionnaireItemComponent item : items) {
			item.getCode().forEach(c -> byCode.put(c.getCode(), item.getLinkId()));
			collectCodes(item.getItem(), byCode);
		}
	}

	private static String key(String linkId, List<Integer> path) {
		StringBuilder key = new StringBuilder(linkId);
		path.forEach(i -> key.append('/').append(i));
		return key.toString();
	}
}
