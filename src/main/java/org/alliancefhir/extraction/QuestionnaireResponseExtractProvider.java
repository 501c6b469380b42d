package org.alliancefhir.extraction;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.model.api.annotation.Description;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;

/**
 * SDC {@code $extract}: the score Observations the server derives from a response, as a transaction Bundle of
 * conditional updates (by the Observations' identifiers, so running it twice does not duplicate), plus an
 * OperationOutcome; nothing is stored. Uses the same validation and scoring as storing a response.
 *
 * @see <a href="https://hl7.org/fhir/uv/sdc/STU4/OperationDefinition-QuestionnaireResponse-extract.html">SDC $extract</a>
 */
public class QuestionnaireResponseExtractProvider {

	static final String OPERATION = "$extract";
	static final String CANONICAL = "http://hl7.org/fhir/uv/sdc/OperationDefinition/QuestionnaireResponse-extract";

	private final QuestionnaireResponseValidator validator;
	private final ResponseScorer scorer;
	private final SubjectAge subjectAge;
	private final DaoRegistry daoRegistry;

	QuestionnaireResponseExtractProvider(
			QuestionnaireResponseValidator validator,
			ResponseScorer scorer,
			SubjectAge subjectAge,
			DaoRegistry daoRegistry) {
		this.validator = validator;
		this.scorer = scorer;
		this.subjectAge = subjectAge;
		this.daoRegistry = daoRegistry;
	}

	@Description(
			shortDefinition =
					"Extracts the score Observations of the given QuestionnaireResponse without storing anything")
	@Operation(name = OPERATION, type = QuestionnaireResponse.class, idempotent = false, canonicalUrl = CANONICAL)
	public Parameters extract(
			@Description(
							shortDefinition =
									"The response to extract from; it must answer one of this server's Questionnaires")
					@OperationParam(name = "questionnaire-response", min = 1, max = 1)
					QuestionnaireResponse response) {
		if (response == null) {
			throw new InvalidRequestException("Parameter 'questionnaire-response' is required");
		}
		if (!response.getIdElement().hasIdPart()) {
			response.setId("urn:uuid:" + UUID.randomUUID());
		}
		return extractFrom(response);
	}

	@Description(
			shortDefinition =
					"Extracts the score Observations of a stored QuestionnaireResponse without storing anything")
	@Operation(name = OPERATION, type = QuestionnaireResponse.class, idempotent = true, canonicalUrl = CANONICAL)
	public Parameters extract(@IdParam IdType id, RequestDetails request) {
		QuestionnaireResponse response = (QuestionnaireResponse)
				daoRegistry.getResourceDao("QuestionnaireResponse").read(id, request);
		return extractFrom(response);
	}

	private Parameters extractFrom(QuestionnaireResponse response) {
		Questionnaire questionnaire = validator.validate(response);
		OperationOutcome issues = new OperationOutcome();
		Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		if (response.getStatus() == QuestionnaireResponseStatus.COMPLETED
				|| response.getStatus() == QuestionnaireResponseStatus.AMENDED) {
			List<Observation> observations = scorer.observations(questionnaire, response, subjectAge.of(response));
			observations.forEach(observation -> addConditionalUpdate(bundle, observation));
			information(
					issues,
					observations.size() + " score Observation(s) extracted from " + questionnaire.getUrl() + "|"
							+ questionnaire.getVersion());
		} else {
			information(
					issues,
					"The response is " + response.getStatus().toCode() + ": only completed or amended "
							+ "responses have scores");
		}
		Parameters result = new Parameters();
		result.addParameter().setName("return").setResource(bundle);
		result.addParameter().setName("issues").setResource(issues);
		return result;
	}

	private static void addConditionalUpdate(Bundle bundle, Observation observation) {
		Identifier identifier = observation.getIdentifierFirstRep();
		bundle.addEntry()
				.setFullUrl("urn:uuid:" + UUID.randomUUID())
				.setResource(observation)
				.getRequest()
				.setMethod(Bundle.HTTPVerb.PUT)
				.setUrl("Observation?identifier=" + identifier.getSystem() + "|" + identifier.getValue());
	}

	private static void information(OperationOutcome outcome, String message) {
		outcome.addIssue()
				.setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
				.setCode(OperationOutcome.IssueType.INFORMATIONAL)
				.setDiagnostics(message);
	}
}
