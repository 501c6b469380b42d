package org.alliancefhir.content;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import ca.uhn.fhir.validation.ValidationResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.NpmPackageValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every file in {@code profiles/} and every fixture response validates with zero errors (extension definitions: one
 * known error of the offline validator) under HAPI's instance validator loaded with the SDC and extensions packages,
 * and every warning is justified in {@code profiles/README.md}.
 *
 * @see <a href="https://hl7.org/fhir/uv/sdc/STU4/validation.html">SDC validation</a>
 */
class ContentValidationTests {

	private static final Logger LOG = LoggerFactory.getLogger(ContentValidationTests.class);

	private static final FhirContext FHIR = FhirContext.forR4Cached();
	private static final Path PROFILES = Path.of("profiles");
	private static final Path FIXTURES = Path.of("src/test/resources/fixtures");
	private static final Path README = PROFILES.resolve("README.md");
	private static final String RESPONSE_PROFILE =
			"https://alliancefhir.org/fhir/StructureDefinition/alliance-questionnaire-response";
	/**
	 * The one error an extension definition gets offline: the validator checks an element context against every
	 * published core version in range, takes R4's "4.0" for a version other than "4.0.1", and asks the package cache
	 * for {@code hl7.fhir.r4.core}, which this build does not have (see "Validation warnings" in the README).
	 */
	private static final String OFFLINE_CONTEXT_CHECK = "StructureDefinition: Error generating Snapshot: Unable to"
			+ " resolve package id hl7.fhir.r4.core#null (this usually arises from a problem in the differential)";

	private static final String PACKAGES = "classpath:packages/";
	private static final String SRS_CANONICAL = "https://alliancefhir.org/fhir/Questionnaire/srs|1.0.0";
	private static final Set<ResultSeverityEnum> ERRORS =
			EnumSet.of(ResultSeverityEnum.ERROR, ResultSeverityEnum.FATAL);

	private static final Map<Path, ValidationResult> results = new ConcurrentHashMap<>();
	private static FhirValidator validator;
	private static ProjectQuestionnaires questionnaires;
	private static ListedWarnings listedWarnings;

	@BeforeAll
	static void buildValidatorOnce() throws IOException {
		NpmPackageValidationSupport packages = new NpmPackageValidationSupport(FHIR);
		packages.loadPackageFromClasspath(PACKAGES + "hl7.fhir.uv.sdc-4.0.0-ballot.tgz");
		packages.loadPackageFromClasspath(PACKAGES + "hl7.fhir.uv.extensions.r4-5.3.0-ballot-tc1.tgz");
		PrePopulatedValidationSupport project = new PrePopulatedValidationSupport(FHIR);
		questionnaires = new ProjectQuestionnaires(FHIR);
		for (Path file : contentFiles().toList()) {
			IBaseResource resource = parse(file);
			if (resource instanceof Questionnaire questionnaire) {
				questionnaires.add(questionnaire);
			} else {
				project.addResource(resource);
			}
		}
		FhirInstanceValidator instanceValidator = new FhirInstanceValidator(new ValidationSupportChain(
				new DefaultProfileValidationSupport(FHIR),
				packages,
				project,
				questionnaires,
				new CommonCodeSystemsTerminologyService(FHIR),
				new InMemoryTerminologyServerValidationSupport(FHIR),
				new SnapshotGeneratingValidationSupport(FHIR)));
		// Both packages define every extension and profile the content uses: an unknown one is a typo, not news.
		instanceValidator.setAnyExtensionsAllowed(false);
		instanceValidator.setErrorForUnknownProfiles(true);
		validator = FHIR.newValidator().registerValidatorModule(instanceValidator);
		listedWarnings = ListedWarnings.in(Files.readString(README));
	}

	static Stream<Path> contentFiles() throws IOException {
		try (Stream<Path> files = Files.list(PROFILES)) {
			return files.filter(f -> f.toString().endsWith(".json")).sorted().toList().stream();
		}
	}

	static Stream<Path> answeredFixtures() throws IOException {
		return fixtures().filter(f -> !isSkippedScenario(f));
	}

	static Stream<Path> skippedFixtures() throws IOException {
		return fixtures().filter(ContentValidationTests::isSkippedScenario);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("contentFiles")
	void contentFileValidatesWithoutErrors(Path file) {
		ValidationResult result = validate(file);

		assertThat(errors(result))
				.as(file + " errors")
				.filteredOn(error -> !(isExtensionDefinition(file) && error.equals(OFFLINE_CONTEXT_CHECK)))
				.isEmpty();
		assertThat(unlistedWarnings(result))
				.as(file + ": warnings missing from the 'Validation warnings' section of " + README)
				.isEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("answeredFixtures")
	void fixtureResponseValidatesAgainstItsQuestionnaireAndTheResponseProfile(Path file) {
		ValidationResult result = validate(file);

		assertThat(questionnaires.served())
				.as("Questionnaires the validator resolved")
				.contains(response(file).getQuestionnaire());
		assertThat(errors(result)).as(file + " errors").isEmpty();
		assertThat(unlistedWarnings(result))
				.as(file + ": warnings missing from the 'Validation warnings' section of " + README)
				.isEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("skippedFixtures")
	void responseWithASkippedRequiredItemIsAnErrorOnThatItemOnly(Path file) {
		QuestionnaireResponse response = response(file);
		List<String> skipped = missingRequiredItems(
				questionnaires.get(response.getQuestionnaire()).getItem(), response.getItem());
		List<String> errors = errors(validate(file));

		assertThat(skipped).as("required items the scenario leaves out").isNotEmpty();
		assertThat(errors).hasSameSizeAs(skipped).allSatisfy(error -> assertThat(skipped)
				.anySatisfy(linkId -> assertThat(error).contains("'" + linkId + "'")));
		assertThat(skipped).allSatisfy(linkId -> assertThat(errors)
				.anySatisfy(error -> assertThat(error).contains("'" + linkId + "'")));
	}

	@Test
	void everyListedWarningStillOccurs() throws IOException {
		List<String> warnings = Stream.concat(contentFiles(), fixtures())
				.map(ContentValidationTests::validate)
				.flatMap(result -> warnings(result).stream())
				.distinct()
				.toList();

		assertThat(listedWarnings.entries()).isNotEmpty().allSatisfy(listed -> {
			assertThat(listed.replace(ListedWarnings.ANY, ""))
					.as("a listed warning says what it is")
					.hasSizeGreaterThan(20);
			assertThat(warnings).as("warnings that occur").anyMatch(warning -> ListedWarnings.matches(listed, warning));
		});
	}

	@Test
	void extensionDefinitionsGetOnlyTheOfflineContextCheckError() throws IOException {
		List<Path> extensions = contentFiles()
				.filter(ContentValidationTests::isExtensionDefinition)
				.toList();

		assertThat(extensions)
				.extracting(f -> f.getFileName().toString())
				.containsExactlyInAnyOrder(
						"StructureDefinition-rater-perspective.json", "StructureDefinition-score-questionnaire.json");
		assertThat(extensions).allSatisfy(file -> assertThat(errors(validate(file)))
				.as(file + " errors (drop the exception once the validator no longer needs the package cache)")
				.containsExactly(OFFLINE_CONTEXT_CHECK));
	}

	@Test
	void aScoreObservationWithTheServerExtensionsConformsToTheScoreProfile() {
		ValidationOptions scoreProfile = new ValidationOptions().addProfile(ProjectUrls.SCORE_PROFILE);
		Observation unknownRater = scoreObservation();
		unknownRater.getExtensionByUrl(ProjectUrls.RATER_PERSPECTIVE_EXTENSION).setValue(new CodeType("grandparent"));
		Observation questionnaireAsText = scoreObservation();
		questionnaireAsText
				.getExtensionByUrl(ProjectUrls.SCORE_QUESTIONNAIRE_EXTENSION)
				.setValue(new StringType(SRS_CANONICAL));

		assertThat(errors(validator.validateWithResult(scoreObservation(), scoreProfile)))
				.isEmpty();
		assertThat(errors(validator.validateWithResult(unknownRater, scoreProfile)))
				.anySatisfy(error -> assertThat(error).contains("grandparent"));
		assertThat(errors(validator.validateWithResult(questionnaireAsText, scoreProfile)))
				.isNotEmpty();
	}

	@Test
	void anUnknownExtensionIsAnError() {
		Questionnaire srs = (Questionnaire) parse(PROFILES.resolve("Questionnaire-srs.json"));
		srs.addExtension(
				"http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpresion",
				new StringType("a typo"));

		assertThat(errors(validator.validateWithResult(srs))).isNotEmpty();
	}

	@Test
	void aResponseWithoutSubjectBreaksTheResponseProfile() {
		QuestionnaireResponse response = response(FIXTURES.resolve("srs/QuestionnaireResponse-mixed.json"));
		response.setSubject(null);

		ValidationResult result =
				validator.validateWithResult(response, new ValidationOptions().addProfile(RESPONSE_PROFILE));

		assertThat(errors(result)).anySatisfy(error -> assertThat(error).contains("subject"));
	}

	private static ValidationResult validate(Path file) {
		return results.computeIfAbsent(file, f -> {
			IBaseResource resource = parse(f);
			ValidationResult result = f.startsWith(FIXTURES)
					? validator.validateWithResult(resource, new ValidationOptions().addProfile(RESPONSE_PROFILE))
					: validator.validateWithResult(resource);
			result.getMessages().stream()
					.filter(m -> m.getSeverity() == ResultSeverityEnum.WARNING)
					.forEach(m -> LOG.info("{} {}: {}", f.getFileName(), m.getLocationString(), m.getMessage()));
			return result;
		});
	}

	private static List<String> errors(ValidationResult result) {
		return result.getMessages().stream()
				.filter(m -> ERRORS.contains(m.getSeverity()))
				.map(m -> m.getLocationString() + ": " + m.getMessage())
				.toList();
	}

	private static List<String> warnings(ValidationResult result) {
		return result.getMessages().stream()
				.filter(m -> m.getSeverity() == ResultSeverityEnum.WARNING)
				.map(SingleValidationMessage::getMessage)
				.map(ListedWarnings::normalise)
				.distinct()
				.toList();
	}

	private static List<String> unlistedWarnings(ValidationResult result) {
		return warnings(result).stream()
				.filter(warning -> !listedWarnings.lists(warning))
				.toList();
	}

	/** Required items of {@code definitions} that have no answer in {@code answers}, group instance by instance. */
	private static List<String> missingRequiredItems(
			List<QuestionnaireItemComponent> definitions, List<QuestionnaireResponseItemComponent> answers) {
		List<String> missing = new ArrayList<>();
		for (QuestionnaireItemComponent definition : definitions) {
			List<QuestionnaireResponseItemComponent> given = answers.stream()
					.filter(a -> a.getLinkId().equals(definition.getLinkId()))
					.toList();
			if (definition.getRequired() && given.isEmpty()) {
				missing.add(definition.getLinkId());
			}
			for (QuestionnaireResponseItemComponent instance : given) {
				missing.addAll(missingRequiredItems(definition.getItem(), instance.getItem()));
			}
		}
		return missing;
	}

	private static Stream<Path> fixtures() throws IOException {
		try (Stream<Path> files = Files.walk(FIXTURES)) {
			return files
					.filter(f -> f.getFileName().toString().startsWith("QuestionnaireResponse-"))
					.sorted()
					.toList()
					.stream();
		}
	}

	private static boolean isExtensionDefinition(Path file) {
		return parse(file) instanceof StructureDefinition definition && "Extension".equals(definition.getType());
	}

	/** An SRS total as the server stores it, with the Questionnaire that scored it and the client as rater. */
	private static Observation scoreObservation() {
		Observation observation = new Observation();
		observation.addExtension(ProjectUrls.SCORE_QUESTIONNAIRE_EXTENSION, new CanonicalType(SRS_CANONICAL));
		observation.addExtension(ProjectUrls.RATER_PERSPECTIVE_EXTENSION, new CodeType("client"));
		observation
				.addIdentifier()
				.setSystem(ProjectUrls.SCORE_IDENTIFIER_SYSTEM)
				.setValue("QuestionnaireResponse/1/total");
		observation.setStatus(Observation.ObservationStatus.FINAL);
		observation
				.addCategory()
				.addCoding()
				.setSystem("http://terminology.hl7.org/CodeSystem/observation-category")
				.setCode("survey");
		observation
				.getCode()
				.addCoding()
				.setSystem(ProjectUrls.SCORE_CODE_SYSTEM)
				.setCode("srs-total");
		observation.setSubject(new Reference("Patient/example-client"));
		observation.setEffective(new DateTimeType("2026-11-20T10:00:00+01:00"));
		observation.setValue(new Quantity()
				.setValue(new BigDecimal("35.9"))
				.setUnit("score")
				.setSystem("http://unitsofmeasure.org")
				.setCode("{score}"));
		observation.addDerivedFrom(new Reference("QuestionnaireResponse/1"));
		return observation;
	}

	private static boolean isSkippedScenario(Path fixture) {
		return fixture.getFileName().toString().contains("skipped");
	}

	private static QuestionnaireResponse response(Path file) {
		return (QuestionnaireResponse) parse(file);
	}

	private static IBaseResource parse(Path file) {
		try {
			return FHIR.newJsonParser().parseResource(Files.readString(file));
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
