package org.alliancefhir.server;

import ca.uhn.fhir.context.FhirContext;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.alliancefhir.scoring.FhirPathEngines;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.XhtmlType;
import org.hl7.fhir.utilities.xhtml.NodeType;
import org.hl7.fhir.utilities.xhtml.XhtmlNode;

/**
 * Judges a narrative by FHIR's rule txt-1, "only the basic html formatting elements and attributes, no active
 * content", plus what txt-1's element and attribute lists leave open: {@code javascript:} and other non-web URLs in
 * links and images and style attributes that load or run content. The element and attribute lists are the HL7
 * FHIRPath engine's own {@code htmlChecks()} (the function behind txt-1 in the validator); this class adds the URL and
 * style checks and names the first problem without quoting the narrative.
 *
 * @see <a href="https://hl7.org/fhir/R4/narrative.html#security">FHIR narrative and security</a>
 */
final class NarrativeRules {

	private static final Set<String> ACTIVE_ELEMENTS = Set.of(
			"script",
			"iframe",
			"frame",
			"frameset",
			"object",
			"embed",
			"applet",
			"form",
			"input",
			"button",
			"textarea",
			"select",
			"style",
			"link",
			"meta",
			"base",
			"svg",
			"math",
			"audio",
			"video",
			"template");
	private static final Set<String> URL_ATTRIBUTES =
			Set.of("href", "src", "cite", "action", "formaction", "background", "longdesc", "usemap", "xlink:href");
	private static final Set<String> WEB_SCHEMES = Set.of("http", "https", "mailto", "tel");
	private static final Pattern SCHEME = Pattern.compile("^([a-z][a-z0-9+.-]*):.*", Pattern.DOTALL);
	private static final Pattern INLINE_IMAGE = Pattern.compile("^data:image/(png|gif|jpeg|webp);base64,.*");
	private static final Pattern ACTIVE_STYLE =
			Pattern.compile("url\\(|expression\\(|javascript:|@import|behavior|-moz-binding|image-set\\(");
	private static final Pattern INVISIBLE = Pattern.compile("[\\s\\p{Cntrl}]|/\\*.*?\\*/");
	private static final Pattern NOT_A_NAME = Pattern.compile("[^A-Za-z0-9:_-]");
	private static final int NAME_LENGTH = 30;

	private final FHIRPathEngine fhirPath;
	private final ExpressionNode htmlChecks;

	NarrativeRules(FHIRPathEngine fhirPath) {
		this.fhirPath = fhirPath;
		this.htmlChecks = fhirPath.parse("htmlChecks()");
	}

	/** What makes the narrative unsafe, in words that do not quote it, or {@code null} when it is safe. */
	String problem(Narrative narrative) {
		if (!narrative.hasDiv()) {
			return null;
		}
		String problem = activeContent(narrative.getDiv());
		if (problem != null) {
			return problem;
		}
		// on the model objects, Narrative.div navigates as a string; the engine's check needs the XHTML itself
		boolean basic = fhirPath.convertToBoolean(fhirPath.evaluate(new XhtmlType(narrative), htmlChecks));
		return basic ? null : "an element or attribute outside the basic XHTML FHIR allows";
	}

	private static String activeContent(XhtmlNode node) {
		if (node.getNodeType() != NodeType.Element && node.getNodeType() != NodeType.Document) {
			return null;
		}
		if (node.getNodeType() == NodeType.Element) {
			String element = node.getName().toLowerCase(Locale.ROOT);
			if (ACTIVE_ELEMENTS.contains(element)) {
				return "an element <" + name(element) + ">";
			}
			for (Map.Entry<String, String> attribute : node.getAttributes().entrySet()) {
				String problem = activeAttribute(attribute.getKey().toLowerCase(Locale.ROOT), attribute.getValue());
				if (problem != null) {
					return problem + " on <" + name(element) + ">";
				}
			}
		}
		for (XhtmlNode child : node.getChildNodes()) {
			String problem = activeContent(child);
			if (problem != null) {
				return problem;
			}
		}
		return null;
	}

	private static String activeAttribute(String attribute, String value) {
		String compact = value == null
				? ""
				: INVISIBLE.matcher(value.toLowerCase(Locale.ROOT)).replaceAll("");
		if (attribute.startsWith("on")) {
			return "an event attribute " + name(attribute);
		}
		if ("style".equals(attribute) && ACTIVE_STYLE.matcher(compact).find()) {
			return "a style attribute that loads or runs content";
		}
		if (URL_ATTRIBUTES.contains(attribute)) {
			Matcher scheme = SCHEME.matcher(compact);
			boolean allowed = !scheme.matches()
					|| WEB_SCHEMES.contains(scheme.group(1))
					|| ("src".equals(attribute) && INLINE_IMAGE.matcher(compact).matches());
			if (!allowed) {
				return "a " + name(scheme.group(1)) + ": URL in " + name(attribute);
			}
		}
		return null;
	}

	/** A name from the narrative, cut short and reduced to name characters, so a message never carries content. */
	private static String name(String text) {
		String name = NOT_A_NAME.matcher(text).replaceAll("");
		return name.length() <= NAME_LENGTH ? name : name.substring(0, NAME_LENGTH);
	}

	/** Rules on an engine that needs no host services: {@code htmlChecks()} is built into the engine. */
	static NarrativeRules create(FhirContext fhirContext) {
		return new NarrativeRules(FhirPathEngines.create(fhirContext, null));
	}
}
