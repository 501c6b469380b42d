package org.alliancefhir.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.List;
import org.hl7.fhir.exceptions.PathEngineException;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

/**
 * Aggregates in exact decimal arithmetic.
 */
class AggregatesTests {

	@Test
	void sumOfDecimalsIsExact() {
		List<Base> values =
				List.of(new DecimalType("8.6"), new DecimalType("9.7"), new DecimalType("9.9"), new DecimalType("7.8"));

		assertThat(Aggregates.sum(values))
				.singleElement()
				.extracting(Base::primitiveValue)
				.isEqualTo("36.0");
	}

	@Test
	void sumOfIntegersStaysInteger() {
		assertThat(Aggregates.sum(List.of(new IntegerType(2), new IntegerType(3))))
				.singleElement()
				.isInstanceOf(IntegerType.class)
				.extracting(Base::primitiveValue)
				.isEqualTo("5");
	}

	@Test
	void sumOfNothingIsZero() {
		assertThat(Aggregates.sum(List.of()))
				.singleElement()
				.extracting(Base::primitiveValue)
				.isEqualTo("0");
	}

	@Test
	void minMaxAndAvgOfNothingAreEmpty() {
		assertThat(Aggregates.min(List.of())).isEmpty();
		assertThat(Aggregates.max(List.of())).isEmpty();
		assertThat(Aggregates.avg(List.of())).isEmpty();
	}

	@Test
	void minMaxAndAvgCompareByValue() {
		List<Base> values = List.of(new DecimalType("2.5"), new IntegerType(1), new DecimalType("3.0"));

		assertThat(Aggregates.min(values))
				.singleElement()
				.extracting(Base::primitiveValue)
				.isEqualTo("1");
		assertThat(Aggregates.max(values))
				.singleElement()
				.extracting(Base::primitiveValue)
				.isEqualTo("3.0");
		assertThat(Aggregates.avg(values))
				.singleElement()
				.extracting(Base::primitiveValue)
				.isEqualTo("2.166666666666666666666666666666667");
	}

	@Test
	void sumOfTextFails() {
		assertThatExceptionOfType(PathEngineException.class)
				.isThrownBy(() -> Aggregates.sum(List.of(new StringType("3"))))
				.withMessage("sum() needs numbers but found a string");
	}
}
