package org.alliancefhir.cds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * One CDS Hooks card as JSON.
 *
 * @param uuid identifies the card for feedback
 * @param summary at most 140 characters, Dutch
 * @param detail optional markdown
 * @param indicator urgency
 * @param source who made the card
 * @param links the clinician app, launched with SMART
 * @see <a href="https://cds-hooks.hl7.org/2.0/#card-attributes">CDS Hooks cards</a>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record CdsCard(String uuid, String summary, String detail, Indicator indicator, Source source, List<Link> links) {

	/** The card's urgency. */
	enum Indicator {
		INFO,
		WARNING,
		CRITICAL;

		@JsonValue
		String code() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}
	}

	/**
	 * The card's source.
	 *
	 * @param label shown to the clinician
	 * @param url where to read more about the source
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Source(String label, String url) {}

	/**
	 * A link; {@code type} {@code smart} makes the EHR launch it as a SMART app.
	 *
	 * @param label the link text
	 * @param url the app's launch URL
	 * @param type {@code absolute} or {@code smart}
	 * @param appContext passed to the app through the token response
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Link(String label, String url, String type, String appContext) {}
}
