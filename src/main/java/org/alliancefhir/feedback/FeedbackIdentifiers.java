package org.alliancefhir.feedback;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.alliancefhir.content.ProjectUrls;
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
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256")
					.digest(identifier.getValue().getBytes(StandardCharsets.UTF_8));
			return "fb-" + HexFormat.of().formatHex(hash).substring(0, 40);
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
		}
	}

	/** For split indices of one session: {@code <rule>/<subject>/<session>}. */
	static Identifier forSession(FeedbackRule rule, String subject, String session) {
		return new Identifier().setSystem(SYSTEM).setValue(rule.id() + "/" + subject + "/" + session);
	}
}
