package org.alliancefhir.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The split-alliance indices, checked against hand-computed values. */
class SplitIndicesTests {

	private final Map<String, BigDecimal> family =
			scores("mother", "16", "father", "8", "child", "20", "therapist", "12");

	@Test
	void rangeIsHighestMinusLowest() {
		assertThat(SplitIndices.range(family.values())).isEqualByComparingTo("12");
	}

	@Test
	void standardDeviationIsThePopulationOneRoundedToTwoDecimals() {
		// mean 14; squared deviations 4 + 36 + 36 + 4 = 80; 80 / 4 = 20; sqrt(20) = 4.472
		assertThat(SplitIndices.standardDeviation(family.values())).isEqualByComparingTo("4.47");
	}

	@Test
	void gapIsMeanFamilyMinusMeanHulpverlenerRoundedToTwoDecimals() {
		// family (16 + 8 + 20) / 3 = 14.667; hulpverlener 12; gap 2.67
		assertThat(SplitIndices.gap(
						scores("mother", "16", "father", "8", "child", "20").values(), List.of(new BigDecimal("12"))))
				.isEqualByComparingTo("2.67");
		// co-therapists (10 + 14) / 2 = 12; family 9; gap -3
		assertThat(SplitIndices.gap(List.of(new BigDecimal("9")), List.of(new BigDecimal("10"), new BigDecimal("14"))))
				.isEqualByComparingTo("-3");
	}

	@Test
	void oppositeSignPairsCountPositiveTimesNegativeAndIgnoreZero() {
		assertThat(SplitIndices.oppositeSignPairs(
						scores("a", "-2", "b", "2", "c", "-1", "d", "0").values()))
				.isEqualTo(2);
		assertThat(SplitIndices.oppositeSignPairs(scores("a", "1.5", "b", "0.5").values()))
				.isZero();
	}

	private static Map<String, BigDecimal> scores(String... pairs) {
		Map<String, BigDecimal> scores = new LinkedHashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			scores.put(pairs[i], new BigDecimal(pairs[i + 1]));
		}
		return scores;
	}
}
