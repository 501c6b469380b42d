package org.alliancefhir.extraction;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import org.alliancefhir.content.QuestionnaireCatalog;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;

/**
 * Checks a response against the server's own copy of its Questionnaire before anything is scored or stored: the
 * exact {@code url|version} must exist, a completed response needs a subject and an authored time, referenced
 * resources must exist, its Encounter must be one of its subject's, it must not nest deeper than the validator can
 * take, and its items must conform to the Questionnaire (answers, types, ranges, required items, linkIds, order).
 * The conformance rules run in {@link ResponseConformance}, in microseconds; HAPI's {@code FhirInstanceValidator}
 * (tens of milliseconds a response) runs as well when instance validation is switched on, when the Questionnaire uses
 * rules {@link ResponseConformance} does not implement, or when the response declares a profile to be checked
 * against. Items whose answers come from a ValueSet are checked against the answers it enumerates
 * ({@link AnswerValueSets}).
 *
 * @see <a href="https://hl7.org/fhir/uv/sdc/STU4/validation.html">SDC validation</a>
 */
class QuestionnaireResponseValidator {

	private static final Set<QuestionnaireResponseStatus> FINISHED =
			EnumSet.of(QuestionnaireResponseStatus.COMPLETED, QuestionnaireResponseStatus.AMENDED);

	private final QuestionnaireCatalog catalog;
	private final AnswerValueSets answerValueSets;
	private final AnswerReferences answerReferences;
	private final EncounterSubject encounterSubject;
	private final NestingLimit nestingLimit;
	/** Per Questionnaire object of the catalog (identity; a changed Questionnaire is a new object), decided once. */
	private final Map<Questionnaire, Boolean> coveredByFastRules = Collections.synchronizedMap(new WeakHashMap<>());

	private final FhirValidator validator;
	private final boolean alwaysInstanceValidation;

	/**
	 * @param alwaysInstanceValidation run HAPI's validator on every response, not only where the fast rules do not
	 *     suffice: adds the base-resource rules (cardinalities, invariants, primitive formats) at ~20 ms a response
	 */
	QuestionnaireResponseValidator(
			FhirContext fhirContext,
			IValidationSupport storeSupport,
			QuestionnaireCatalog catalog,
			AnswerValueSets answerValueSets,
			AnswerReferences answerReferences,
			EncounterSubject encounterSubject,
			boolean alwaysInstanceValidation) {
		this.catalog = catalog;
		this.answerValueSets = answerValueSets;
		this.answerReferences = answerReferences;
		this.encounterSubject = encounterSubject;
		this.alwaysInstanceValidation = alwaysInstanceValidation;
		this.nestingLimit = new NestingLimit(fhirContext);
		FhirInstanceValidator instanceValidator = new FhirInstanceValidator(new ValidationSupportChain(
				new CatalogQuestionnaireSupport(fhirContext, catalog, answerValueSets), storeSupport));
		instanceValidator.setAnyExtensionsAllowed(true);
		instanceValidator.setErrorForUnknownProfiles(false);
		this.validator = fhirContext.newValidator().registerValidatorModule(instanceValidator);
	}

	/**
	 * Returns the Questionnaire the response answers, with the answers of its answer ValueSets as options
	 * ({@link AnswerValueSets}).
	 *
	 * @throws ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException (422) naming every problem
	 */
	Questionnaire validate(QuestionnaireResponse response) {
		nestingLimit.check(response);
		Questionnaire questionnaire = questionnaireOf(response);
		ResponseProblems problems = new ResponseProblems();
		if (FINISHED.contains(response.getStatus())) {
			if (!response.hasSubject() || !response.getSubject().hasReference()) {
				problems.add(
						IssueType.REQUIRED,
						"QuestionnaireResponse.subject",
						"A " + response.getStatus().toCode() + " response needs a subject: the scores are about them");
			}
			if (!response.hasAuthored()) {
				problems.add(
						IssueType.REQUIRED,
						"QuestionnaireResponse.authored",
						"A " + response.getStatus().toCode()
								+ " response needs authored: it becomes the time of the scores");
			}
		}
		if (response.hasAuthoredElement()) {
			DateTimeRules.check(response.getAuthoredElement(), "QuestionnaireResponse.authored", problems);
		}
		answerReferences.check(response, problems);
		encounterSubject.check(response, problems);
		ResponseConformance.check(questionnaire, response, problems);
		// HAPI's validator repeats the conformance rules in its own words: only ask it when they found nothing
		if (problems.isEmpty() && needsInstanceValidation(questionnaire, response)) {
			ValidationResult result = validator.validateWithResult(response);
			for (SingleValidationMessage message : result.getMessages()) {
				if (message.getSeverity() == ResultSeverityEnum.ERROR
						|| message.getSeverity() == ResultSeverityEnum.FATAL) {
					problems.add(
							IssueType.INVALID,
							message.getLocationString(),
							ItemLocations.namingTheItem(response, message));
				}
			}
		}
		problems.rejectIfAny();
		return questionnaire;
	}

	private boolean needsInstanceValidation(Questionnaire questionnaire, QuestionnaireResponse response) {
		return alwaysInstanceValidation
				|| response.getMeta().hasProfile()
				|| !coveredByFastRules.computeIfAbsent(questionnaire, ResponseConformance::covers);
	}

	private Questionnaire questionnaireOf(QuestionnaireResponse response) {
		if (!response.hasQuestionnaire()) {
			throw ResponseProblems.reject(
					IssueType.REQUIRED,
					"QuestionnaireResponse.questionnaire",
					"The response names no Questionnaire; this server scores responses to its own Questionnaires only");
		}
		String canonical = response.getQuestionnaire();
		return catalog.find(canonical).map(answerValueSets::resolve).orElseThrow(() -> {
			int bar = canonical.indexOf('|');
			String url = bar < 0 ? canonical : canonical.substring(0, bar);
			String known = bar >= 0
					? catalog.find(url)
							.map(q -> " (this server has version " + q.getVersion() + " as its latest)")
							.orElse("")
					: "";
			return ResponseProblems.reject(
					IssueType.NOTFOUND,
					"QuestionnaireResponse.questionnaire",
					"Questionnaire " + canonical + " is not known to this server" + known);
		});
	}
}
