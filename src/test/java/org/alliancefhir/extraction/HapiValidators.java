package org.alliancefhir.extraction;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * The content of {@code profiles/} read from disk, and HAPI's instance validator configured as the server's
 * (any extension allowed, unknown profiles no error) on an in-memory support chain with that content, for tests
 * and benchmarks that compare the fast conformance rules with it.
 */
final class HapiValidators {

	static final FhirContext FHIR = FhirContext.forR4Cached();

	private HapiValidators() {}

	static List<IBaseResource> profiles() {
		try (Stream<Path> files = Files.list(Path.of("profiles"))) {
			return files.filter(f -> f.toString().endsWith(".json"))
					.sorted()
					.map(f -> read(IBaseResource.class, f))
					.toList();
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	static Questionnaire questionnaire(String id) {
		return read(Questionnaire.class, Path.of("profiles", "Questionnaire-" + id + ".json"));
	}

	static QuestionnaireResponse mixedResponse(String instrument) {
		return read(
				QuestionnaireResponse.class,
				Path.of("src/test/resources/fixtures", instrument, "QuestionnaireResponse-mixed.json"));
	}

	static FhirValidator instanceValidator() {
		List<IBaseResource> content = profiles();
		PrePopulatedValidationSupport definitions = new PrePopulatedValidationSupport(FHIR);
		content.stream()
				.filter(r -> r instanceof CodeSystem || r instanceof ValueSet || r instanceof StructureDefinition)
				.forEach(definitions::addResource);
		List<Questionnaire> questionnaires = content.stream()
				.filter(Questionnaire.class::isInstance)
				.map(Questionnaire.class::cast)
				.toList();
		IValidationSupport questionnaireSupport = new IValidationSupport() {
			@Override
			public <T extends IBaseResource> T fetchResource(Class<T> type, String url) {
				if (type == null || !type.isAssignableFrom(Questionnaire.class)) {
					return null;
				}
				return questionnaires.stream()
						.filter(q -> url.equals(q.getUrl() + "|" + q.getVersion()) || url.equals(q.getUrl()))
						.findFirst()
						.map(type::cast)
						.orElse(null);
			}

			@Override
			public FhirContext getFhirContext() {
				return FHIR;
			}
		};
		FhirInstanceValidator module = new FhirInstanceValidator(new ValidationSupportChain(
				questionnaireSupport,
				new DefaultProfileValidationSupport(FHIR),
				definitions,
				new CommonCodeSystemsTerminologyService(FHIR),
				new InMemoryTerminologyServerValidationSupport(FHIR),
				new SnapshotGeneratingValidationSupport(FHIR)));
		module.setAnyExtensionsAllowed(true);
		module.setErrorForUnknownProfiles(false);
		return FHIR.newValidator().registerValidatorModule(module);
	}

	static <T extends IBaseResource> T read(Class<T> type, Path file) {
		try {
			return type.cast(FHIR.newJsonParser().parseResource(Files.readString(file)));
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
