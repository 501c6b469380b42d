package org.alliancefhir.feedback;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Descriptive split-alliance indices over the scores of one session's respondents: range, population standard
 * deviation, the pair furthest apart, pairs on opposite sides of zero, and the difference of two named inputs.
 * None of them is normed.
 *
 * @see <a href="https://doi.org/10.1080/10503300802621206">Muniz de la Pena, Friedlander and Escudero (2009)</a>
 */
final class SplitIndices {

	static final String RANGE = "split-range";
	static final String SD = "split-sd";
	static final String MAX_PAIR_DIFFERENCE = "split-max-pair-difference";
	static final String OPPOSITE_SIGNS = "split-opposite-signs";
	static final String DIFFERENCE = "split-difference";
	static final String RESPONDENTS = "split-respondents";

	/** The index codes a split rule may ask for (the number of respondents is always given). */
	static final Set<String> KNOWN = Set.of(RANGE, SD, MAX_PAIR_DIFFERENCE, OPPOSITE_SIGNS, DIFFERENCE);

	/** The two respondents furthest apart and how far. */
	record Pair(String first, String second, BigDecimal difference) {}

	private SplitIndices() {}

	static BigDecimal range(Map<String, BigDecimal> scores) {
		return max(scores).subtract(min(scores));
	}

	static BigDecimal standardDeviation(Map<String, BigDecimal> scores) {
		BigDecimal n = BigDecimal.valueOf(scores.size());
		BigDecimal mean = scores.values().stream()
				.reduce(BigDecimal.ZERO, BigDecimal::add)
				.divide(n, MathContext.DECIMAL64);
		BigDecimal squares =
				scores.values().stream().map(v -> v.subtract(mean).pow(2)).reduce(BigDecimal.ZERO, BigDecimal::add);
		return squares.divide(n, MathContext.DECIMAL64)
				.sqrt(MathContext.DECIMAL64)
				.setScale(2, RoundingMode.HALF_UP);
	}

	static Pair furthestPair(Map<String, BigDecimal> scores) {
		List<Map.Entry<String, BigDecimal>> entries = List.copyOf(scores.entrySet());
		Pair best = null;
		for (int i = 0; i < entries.size(); i++) {
			for (int j = i + 1; j < entries.size(); j++) {
				BigDecimal difference = entries.get(i)
						.getValue()
						.subtract(entries.get(j).getValue())
						.abs();
				if (best == null || difference.compareTo(best.difference()) > 0) {
					best = new Pair(entries.get(i).getKey(), entries.get(j).getKey(), difference);
				}
			}
		}
		return best;
	}

	static int oppositeSignPairs(Map<String, BigDecimal> scores) {
		long positive = scores.values().stream().filter(v -> v.signum() > 0).count();
		long negative = scores.values().stream().filter(v -> v.signum() < 0).count();
		return (int) (positive * negative);
	}

	private static BigDecimal max(Map<String, BigDecimal> scores) {
		return scores.values().stream().max(BigDecimal::compareTo).orElseThrow();
	}

	private static BigDecimal min(Map<String, BigDecimal> scores) {
		return scores.values().stream().min(BigDecimal::compareTo).orElseThrow();
	}
}
