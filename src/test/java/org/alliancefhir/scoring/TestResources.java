package org.alliancefhir.scoring;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;

/**
 * Reads the FHIR test resources from the classpath.
 */
final class TestResources {

	static final FhirContext FHIR = FhirContext.forR4Cached();

	private TestResources() {}

	static Questionnaire questionnaire(String path) {
		return parse(Questionnaire.class, path);
	}

	static QuestionnaireResponse response(String path) {
		return parse(QuestionnaireResponse.class, path);
	}

	/** A test Questionnaire under {@code scoring/}, by id. */
	static Questionnaire testQuestionnaire(String id) {
		return questionnaire("scoring/Questionnaire-" + id + ".json");
	}

	/** A fixture response of a test Questionnaire under {@code scoring/fixtures/}. */
	static QuestionnaireResponse testResponse(String id, String scenario) {
		return response("scoring/fixtures/" + id + "/QuestionnaireResponse-" + scenario + ".json");
	}

	static <T extends IBaseResource> T parse(Class<T> type, String path) {
		IParser parser = FHIR.newJsonParser();
		try (InputStream in = TestResources.class.getClassLoader().getResourceAsStream(path)) {
			if (in == null) {
				throw new IllegalArgumentException("No classpath resource " + path);
			}
			return parser.parseResource(type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
		} catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}
}
