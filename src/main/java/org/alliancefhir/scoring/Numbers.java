package org.alliancefhir.scoring;

import java.math.BigDecimal;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Quantity;

/**
 * Reads FHIR numbers as exact {@link BigDecimal}s, keeping the scale that was written (36.0 stays 36.0).
 */
final class Numbers {

	private Numbers() {}

	/** Returns the exact value of an integer, decimal or Quantity, or {@code null} when the item is not a number. */
	static BigDecimal toDecimal(Base item) {
		if (item instanceof DecimalType decimal) {
			return decimal.getValue();
		}
		if (item instanceof IntegerType integer) {
			return (integer.getValue() == null) ? null : BigDecimal.valueOf(integer.getValue());
		}
		if (item instanceof Quantity quantity) {
			return quantity.getValue();
		}
		return null;
	}

	static boolean isInteger(Base item) {
		return item instanceof IntegerType;
	}
}
