package org.alliancefhir.feedback;

import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;

/** The deterministic identifiers of what the rules produce, so re-evaluating a rule updates instead of duplicates. */
final class FeedbackIdentifiers {

	static final String SYSTEM = "https://alliancefhir.org/fhir/identifier/feedback";
	static final String CODE_SYSTEM = "https://alliancefhir.org/fhir/CodeSystem/alliance-feedback";

	private FeedbackIdentifiers() {}

	/** For a comparison or alert about one score: {@code <rule>/Observation/<score id>}. */
	static Identifier forScore(FeedbackRule rule, Observation score) {
		return new Identifier()
				.setSystem(SYSTEM)
				.setValue(rule.id() + "/Observation/" + score.getIdElement().getIdPart());
	}

	/** For split indices of one session: {@code <rule>/<subject>/<session>}. */
	static Identifier forSession(FeedbackRule rule, String subject, String session) {
		return new Identifier().setSystem(SYSTEM).setValue(rule.id() + "/" + subject + "/" + session);
	}
}
