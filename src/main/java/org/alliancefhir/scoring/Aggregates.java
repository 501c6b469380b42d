package org.alliancefhir.scoring;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import org.hl7.fhir.exceptions.PathEngineException;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;

/**
 * The FHIRPath aggregate functions {@code sum()}, {@code min()}, {@code max()} and {@code avg()} in exact decimal
 * arithmetic, which the core R4 engine lacks.
 *
 * @see <a href="https://hl7.org/fhirpath/N1/#aggregates">FHIRPath aggregates</a>
 */
final class Aggregates {

	private Aggregates() {}

	/** Sum of the focus; integer when every item is an integer, and 0 for an empty focus (FHIRPath). */
	static List<Base> sum(List<Base> focus) {
		BigDecimal total = BigDecimal.ZERO;
		boolean integers = true;
		for (Base item : focus) {
			total = total.add(number(item, "sum"));
			integers &= Numbers.isInteger(item);
		}
		return List.of(integers ? new IntegerType(total.intValueExact()) : new DecimalType(total));
	}

	static List<Base> avg(List<Base> focus) {
		if (focus.isEmpty()) {
			return List.of();
		}
		BigDecimal total = BigDecimal.ZERO;
		for (Base item : focus) {
			total = total.add(number(item, "avg"));
		}
		return List.of(new DecimalType(total.divide(BigDecimal.valueOf(focus.size()), MathContext.DECIMAL128)));
	}

	static List<Base> min(List<Base> focus) {
		return extreme(focus, -1, "min");
	}

	static List<Base> max(List<Base> focus) {
		return extreme(focus, 1, "max");
	}

	private static List<Base> extreme(List<Base> focus, int sign, String function) {
		Base best = null;
		BigDecimal bestValue = null;
		for (Base item : focus) {
			BigDecimal value = number(item, function);
			if (best == null || value.compareTo(bestValue) * sign > 0) {
				best = item;
				bestValue = value;
			}
		}
		return (best == null) ? List.of() : List.of(best);
	}

	private static BigDecimal number(Base item, String function) {
		BigDecimal value = Numbers.toDecimal(item);
		if (value == null) {
			throw new PathEngineException(function + "() needs numbers but found a " + item.fhirType());
		}
		return value;
	}
}
