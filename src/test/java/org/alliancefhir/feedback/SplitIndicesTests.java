package org.alliancefhir.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The split-alliance indices, checked against hand-computed values. */
class SplitIndicesTests {

	private final Map<String, BigDecimal> family =
			scores("mother", "16", "father", "8", "child", "20", "therapist", "12");

	@Test
	void rangeIsHighestMinusLowest() {
		assertThat(SplitIndices.range(family)).isEqualByComparingTo("12");
	}

	@Test
	void standardDeviationIsThePopulationOneRoundedToTwoDecimals() {
		// mean 14; squared deviations 4 + 36 + 36 + 4 = 80; 80 / 4 = 20; sqrt(20) = 4.472
		assertThat(SplitIndices.standardDeviation(family)).isEqualByComparingTo("4.47");
	}

	@Test
	void theFurthestPairIsNamed() {
		SplitIndices.Pair pair = SplitIndices.furthestPair(family);

		assertThat(pair.first()).isEqualTo("father");
		assertThat(pair.second()).isEqualTo("child");
		assertThat(pair.difference()).isEqualByComparingTo("12");
	}

	@Test
	void oppositeSignPairsCountPositiveTimesNegativeAndIgnoreZero() {
		assertThat(SplitIndices.oppositeSignPairs(scores("a", "-2", "b", "2", "c", "-1", "d", "0")))
				.isEqualTo(2);
		assertThat(SplitIndices.oppositeSignPairs(scores("a", "1.5", "b", "0.5")))
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
