package org.alliancefhir.feedback;

import org.alliancefhir.content.ProjectUrls;
import org.alliancefhir.storage.HashedIds;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;

/**
 * The deterministic identifiers and resource ids of what the rules produce, so re-evaluating a rule updates instead
 * of duplicating.
 */
final class FeedbackIdentifiers {

	static final String SYSTEM = ProjectUrls.FEEDBACK_IDENTIFIER_SYSTEM;
	static final String CODE_SYSTEM = ProjectUrls.FEEDBACK_CODE_SYSTEM;

	private FeedbackIdentifiers() {}

	/** For a comparison or alert about one score: {@code <rule>/Observation/<score id>}. */
	static Identifier forScore(FeedbackRule rule, Observation score) {
		return new Identifier()
				.setSystem(SYSTEM)
				.setValue(rule.id() + "/Observation/" + score.getIdElement().getIdPart());
	}

	/**
	 * The resource id of what an identifier names: {@code fb-} and 40 hex digits of its SHA-256, so the same rule
	 * for the same score or session always writes the same resource.
	 */
	static String resourceId(Identifier identifier) {
		return HashedIds.of("fb-", identifier.getValue(), 40);
	}

	/** The id of the resource of the given type that an identifier names. */
	static IdType id(String type, Identifier identifier) {
		return new IdType(type, resourceId(identifier));
	}

	/** For split indices of one session: {@code <rule>/<subject>/<session>}. */
	static Identifier forSession(FeedbackRule rule, String subject, String session) {
		return new Identifier().setSystem(SYSTEM).setValue(rule.id() + "/" + subject + "/" + session);
	}
}
