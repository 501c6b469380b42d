package org.alliancefhir.extraction;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * Third-party SDC forms whose answers come from {@code answerValueSet}s (the SDC IG's PHQ-9 with a contained
 * ValueSet, LOINC-style PHQ-9 and GAD-7 with stored LOINC answer lists, a form with {@code enableWhen}) are loaded
 * over HTTP and scored from the ValueSets' weights, without the CodeSystems; see {@code third-party/README.md}.
 */
class ThirdPartyFormsIT extends ScoringIntegrationTest {

	private static final String LOINC = "http://loinc.org";

	@BeforeEach
	void formsAndAnswerListsAreStored() {
		fhirContext.getRestfulClientFactory().setSocketTimeout(120_000);
		for (String form : new String[] {"sdc-phq9", "loinc-phq9", "loinc-gad7"}) {
			client().update()
					.resource(read(Questionnaire.class, "Questionnaire-" + form))
					.execute();
		}
		for (String list : new String[] {"LL358-3", "LL359-1"}) {
			client().update().resource(read(ValueSet.class, "ValueSet-" + list)).execute();
		}
	}

	@ParameterizedTest(name = "{0}")
	@CsvFileSource(resources = "/third-party/expected-totals.csv", numLinesToSkip = 1)
	void eachResponseIsScoredFromTheWeightsOfItsAnswerValueSet(
			String response, String questionnaire, String linkId, String expected) {
		Questionnaire form = read(Questionnaire.class, "Questionnaire-" + questionnaire);
		Coding scoreCode = form.getItem().stream()
				.flatMap(item ->
						java.util.stream.Stream.concat(java.util.stream.Stream.of(item), item.getItem().stream()))
				.filter(item -> item.getLinkId().equals(linkId))
				.findFirst()
				.orElseThrow()
				.getCodeFirstRep();

		Observation total =
				onlyDerivedFrom(create(read(QuestionnaireResponse.class, "QuestionnaireResponse-" + response)));

		assertThat(total.getCode().getCoding())
				.extracting(Coding::getSystem, Coding::getCode)
				.contains(org.assertj.core.api.Assertions.tuple(LOINC, scoreCode.getCode()));
		assertThat(total.getValueQuantity().getValue()).isEqualByComparingTo(expected);
		assertThat(total.getSubject().getReference()).isEqualTo(FIXTURE_PATIENT);
	}

	@Test
	void aContainedValueSetIsServedBackInsideItsQuestionnaire() throws Exception {
		String json = send(request("/Questionnaire/questionnaire-sdc-profile-example-PHQ9")
						.GET())
				.body();
		Questionnaire served = fhirContext.newJsonParser().parseResource(Questionnaire.class, json);

		assertThat(json).contains("\"contained\"");
		assertThat(served.getContained()).hasSize(1);
		ValueSet contained = (ValueSet) served.getContained().get(0);
		assertThat(contained.getIdElement().getIdPart()).isEqualTo("VSPHQ9");
		assertThat(contained.getCompose().getIncludeFirstRep().getConcept()).hasSize(4);
		assertThat(served.getItemFirstRep().getItemFirstRep().getAnswerValueSet())
				.isEqualTo("#VSPHQ9");
	}

	@Test
	void weightsAClientPutsOnItsAnswersAreIgnored() {
		QuestionnaireResponse response = read(QuestionnaireResponse.class, "QuestionnaireResponse-loinc-phq9-moderate");
		response.getItem().forEach(item -> item.getAnswer().forEach(answer -> answer.getValueCoding()
				.addExtension("http://hl7.org/fhir/StructureDefinition/itemWeight", new DecimalType(100))));

		Observation total = onlyDerivedFrom(create(response));

		assertThat(total.getValueQuantity().getValue()).isEqualByComparingTo("11");
	}

	@Test
	void changedWeightsOfAStoredValueSetApplyToTheNextResponse() {
		ValueSet doubled = read(ValueSet.class, "ValueSet-LL358-3");
		doubled.getExpansion().getContains().forEach(entry -> entry.getExtension()
				.forEach(property -> {
					org.hl7.fhir.r4.model.Extension value = property.getExtensionByUrl("value");
					value.setValue(new DecimalType(
							((DecimalType) value.getValue()).getValue().multiply(java.math.BigDecimal.valueOf(2))));
				}));
		client().update().resource(doubled).execute();

		Observation total =
				onlyDerivedFrom(create(read(QuestionnaireResponse.class, "QuestionnaireResponse-loinc-phq9-moderate")));

		assertThat(total.getValueQuantity().getValue()).isEqualByComparingTo("22");
	}

	@Test
	void aCodeOutsideTheValueSetIsRefusedNamingTheItem() {
		QuestionnaireResponse response = read(QuestionnaireResponse.class, "QuestionnaireResponse-loinc-phq9-moderate");
		response.getItem().get(2).getAnswerFirstRep().setValue(new Coding(LOINC, "LA6572-7", "Not difficult at all"));

		OperationOutcome outcome = refused(response);

		assertThat(outcome.getIssueFirstRep().getDiagnostics())
				.contains("Item '44259-0'")
				.contains("http://loinc.org::LA6572-7")
				.contains("is not in the set of permitted values");
	}

	@Test
	void answerCodesAreCaseSensitive() {
		QuestionnaireResponse response = read(QuestionnaireResponse.class, "QuestionnaireResponse-sdc-phq9-example");
		response.getItemFirstRep()
				.getItemFirstRep()
				.getAnswerFirstRep()
				.getValueCoding()
				.setCode("not-at-all");

		OperationOutcome outcome = refused(response);

		assertThat(outcome.getIssueFirstRep().getDiagnostics())
				.contains("Item 'H1/T1/Q1'")
				.contains("not-at-all");
	}

	@Test
	void aValueSetTheServerCannotResolveIsRefusedNamingItAndStoresNothing() {
		Questionnaire form = read(Questionnaire.class, "Questionnaire-loinc-phq9");
		form.setId("loinc-phq9-unstored-list");
		form.setUrl("https://example.org/fhir/Questionnaire/loinc-phq9-unstored-list");
		form.getItemFirstRep().setAnswerValueSet("http://loinc.org/vs/LL361-7");
		client().update().resource(form).execute();
		QuestionnaireResponse response = read(QuestionnaireResponse.class, "QuestionnaireResponse-loinc-phq9-moderate");
		response.setQuestionnaire(form.getUrl() + "|1.0.0");
		int responses = count("QuestionnaireResponse");

		OperationOutcome outcome = refused(response);

		assertThat(outcome.getIssue()).hasSize(1);
		assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.NOTFOUND);
		assertThat(outcome.getIssueFirstRep().getDiagnostics())
				.isEqualTo(
						"Item '44250-9' takes its answers from the ValueSet http://loinc.org/vs/LL361-7, which is not"
								+ " stored on this server, and no terminology server is configured");
		assertThat(count("QuestionnaireResponse")).isEqualTo(responses);
	}

	@Test
	void aValueSetThatDoesNotListItsCodesIsRefusedNamingIt() {
		ValueSet wholeSystem = new ValueSet();
		wholeSystem.setId("whole-loinc");
		wholeSystem.setUrl("https://example.org/fhir/ValueSet/whole-loinc");
		wholeSystem.setStatus(org.hl7.fhir.r4.model.Enumerations.PublicationStatus.ACTIVE);
		wholeSystem.getCompose().addInclude().setSystem(LOINC);
		client().update().resource(wholeSystem).execute();
		Questionnaire form = read(Questionnaire.class, "Questionnaire-loinc-phq9");
		form.setId("loinc-phq9-whole-system");
		form.setUrl("https://example.org/fhir/Questionnaire/loinc-phq9-whole-system");
		form.getItem().get(1).setAnswerValueSet(wholeSystem.getUrl());
		client().update().resource(form).execute();
		QuestionnaireResponse response = read(QuestionnaireResponse.class, "QuestionnaireResponse-loinc-phq9-moderate");
		response.setQuestionnaire(form.getUrl() + "|1.0.0");

		OperationOutcome outcome = refused(response);

		assertThat(outcome.getIssueFirstRep().getDiagnostics())
				.startsWith("Item '44255-8' takes its answers from the ValueSet " + wholeSystem.getUrl()
						+ ", which does not list its codes");
	}

	@Test
	void anAnswerToAQuestionEnableWhenSwitchedOffIsRefused() {
		OperationOutcome outcome = refused(
				read(QuestionnaireResponse.class, "QuestionnaireResponse-loinc-gad7-difficulty-while-disabled"));

		assertThat(outcome.getIssue())
				.anySatisfy(issue -> assertThat(issue.getDiagnostics()).contains("69722-7"));
	}

	private OperationOutcome refused(QuestionnaireResponse response) {
		UnprocessableEntityException refusal =
				(UnprocessableEntityException) org.assertj.core.api.Assertions.catchThrowable(() -> create(response));
		assertThat(refusal).as("the response must be refused with 422").isNotNull();
		return (OperationOutcome) refusal.getOperationOutcome();
	}

	private <T extends Resource> T read(Class<T> type, String name) {
		String path = "third-party/" + name + ".json";
		try (InputStream in = getClass().getClassLoader().getResourceAsStream(path)) {
			assertThat(in).as(path).isNotNull();
			return fhirContext
					.newJsonParser()
					.parseResource(type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
