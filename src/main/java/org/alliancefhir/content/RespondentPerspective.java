package org.alliancefhir.content;

import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.UsageContext;

/**
 * Whose perspective answers give (CodeSystem respondent-perspective): the Questionnaire's own, from its
 * {@code useContext} of type {@code user}, and the rater's of one response, which is {@code parent} whenever a
 * related person or another client answered (a parent who completes a self-report form rates the client, not
 * themselves).
 */
public final class RespondentPerspective {

	public static final String SYSTEM = ProjectUrls.RESPONDENT_PERSPECTIVE_SYSTEM;
	public static final String PARENT = "parent";

	private static final String USER = "user";
	private static final Map<String, String> DUTCH = Map.of(
			"client",
			"cliënt (zelfrapportage)",
			PARENT,
			"ouder of verzorger",
			"therapist",
			"hulpverlener",
			"observer",
			"observator",
			"team",
			"behandelteam");

	private RespondentPerspective() {}

	/** The perspective the Questionnaire is written for, or empty when it names none. */
	public static Optional<String> of(Questionnaire questionnaire) {
		return questionnaire.getUseContext().stream()
				.filter(c -> USER.equals(c.getCode().getCode()) && c.hasValueCodeableConcept())
				.map(UsageContext::getValueCodeableConcept)
				.flatMap(c -> c.getCoding().stream())
				.filter(c -> SYSTEM.equals(c.getSystem()))
				.map(Coding::getCode)
				.findFirst();
	}

	/**
	 * The perspective of the response's rater ({@code source}, else {@code author}): {@code parent} for a
	 * RelatedPerson or a Patient other than the subject, else the Questionnaire's; a professional who only records
	 * the client's answers does not change it.
	 */
	public static Optional<String> ofRater(Questionnaire questionnaire, QuestionnaireResponse response) {
		Reference rater = response.hasSource() ? response.getSource() : response.getAuthor();
		String type = rater.getReferenceElement().getResourceType();
		boolean otherClient = "Patient".equals(type)
				&& !rater.getReferenceElement()
						.toUnqualifiedVersionless()
						.getValue()
						.equals(response.getSubject()
								.getReferenceElement()
								.toUnqualifiedVersionless()
								.getValue());
		return "RelatedPerson".equals(type) || otherClient ? Optional.of(PARENT) : of(questionnaire);
	}

	/** The Dutch name of the perspective, for narratives. */
	public static String dutch(String perspective) {
		return DUTCH.getOrDefault(perspective, perspective);
	}
}
