package org.alliancefhir.feedback;

import java.math.BigDecimal;
import org.hl7.fhir.r4.model.Quantity;

/** Score values as FHIR Quantities in the UCUM unit {@code {score}}. */
final class ScoreQuantities {

	static final String UCUM = "http://unitsofmeasure.org";

	private ScoreQuantities() {}

	static Quantity of(BigDecimal value) {
		return new Quantity().setValue(value).setSystem(UCUM).setCode("{score}").setUnit("score");
	}
}
