package org.alliancefhir.feedback;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.utilities.xhtml.NodeType;
import org.hl7.fhir.utilities.xhtml.XhtmlNode;

/** Dutch narrative building blocks: numbers written the Dutch way (36,0) and an empty XHTML div. */
public final class DutchText {

	private static final Locale DUTCH = Locale.forLanguageTag("nl");

	private DutchText() {}

	/** The number with a decimal comma, keeping up to two of its decimals (36.0 becomes 36,0). */
	public static String number(BigDecimal value) {
		DecimalFormat format = new DecimalFormat("0.##", DecimalFormatSymbols.getInstance(DUTCH));
		format.setMinimumFractionDigits(Math.max(0, Math.min(2, value.scale())));
		return format.format(value);
	}

	/** A signed number: +1,5 or −2,0. */
	public static String signed(BigDecimal value) {
		return (value.signum() > 0 ? "+" : value.signum() < 0 ? "−" : "") + number(value.abs());
	}

	public static XhtmlNode div() {
		XhtmlNode div = new XhtmlNode(NodeType.Element, "div");
		div.setAttribute("xmlns", "http://www.w3.org/1999/xhtml");
		return div;
	}

	public static Narrative narrative(XhtmlNode div) {
		return new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED).setDiv(div);
	}
}
