package org.alliancefhir.feedback;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.Set;

/**
 * Descriptive split-alliance indices of one session, two measures kept apart as Escudero and colleagues do: the
 * split within the family (range, population standard deviation and opposite-sign pairs of the family members'
 * scores) and the gap between family and hulpverlener (mean family score minus mean hulpverlener score). None of
 * them is normed.
 *
 * @see <a href="https://doi.org/10.1080/10503300802621206">Muniz de la Pena, Friedlander and Escudero (2009)</a>
 */
final class SplitIndices {

	static final String FAMILY_RANGE = "split-family-range";
	static final String FAMILY_SD = "split-family-sd";
	static final String FAMILY_OPPOSITE_SIGNS = "split-family-opposite-signs";
	static final String FAMILY_THERAPIST_GAP = "split-family-therapist-gap";
	static final String FAMILY_RESPONDENTS = "split-family-respondents";
	static final String RESPONDENTS = "split-respondents";

	/** The index codes a split rule may ask for (the numbers of respondents are always given). */
	static final Set<String> KNOWN = Set.of(FAMILY_RANGE, FAMILY_SD, FAMILY_OPPOSITE_SIGNS, FAMILY_THERAPIST_GAP);

	/** The within-family indices, computed with two or more family members. */
	static final Set<String> WITHIN_FAMILY = Set.of(FAMILY_RANGE, FAMILY_SD, FAMILY_OPPOSITE_SIGNS);

	/**
	 * The respondent perspectives (CodeSystem respondent-perspective) on the hulpverlener's side; every other score,
	 * and every score about a rated family member, is on the family's side.
	 */
	static final Set<String> PROFESSIONAL_PERSPECTIVES = Set.of("therapist", "team");

	private SplitIndices() {}

	static BigDecimal range(Collection<BigDecimal> scores) {
		return scores.stream()
				.max(BigDecimal::compareTo)
				.orElseThrow()
				.subtract(scores.stream().min(BigDecimal::compareTo).orElseThrow());
	}

	static BigDecimal standardDeviation(Collection<BigDecimal> scores) {
		BigDecimal mean = mean(scores);
		BigDecimal squares = scores.stream().map(v -> v.subtract(mean).pow(2)).reduce(BigDecimal.ZERO, BigDecimal::add);
		return squares.divide(BigDecimal.valueOf(scores.size()), MathContext.DECIMAL64)
				.sqrt(MathContext.DECIMAL64)
				.setScale(2, RoundingMode.HALF_UP);
	}

	static int oppositeSignPairs(Collection<BigDecimal> scores) {
		long positive = scores.stream().filter(v -> v.signum() > 0).count();
		long negative = scores.stream().filter(v -> v.signum() < 0).count();
		return (int) (positive * negative);
	}

	/** Mean family score minus mean hulpverlener score: above zero when the family rates the alliance higher. */
	static BigDecimal gap(Collection<BigDecimal> family, Collection<BigDecimal> professional) {
		BigDecimal gap = mean(family)
				.subtract(mean(professional))
				.setScale(2, RoundingMode.HALF_UP)
				.stripTrailingZeros();
		return gap.scale() < 0 ? gap.setScale(0) : gap;
	}

	private static BigDecimal mean(Collection<BigDecimal> scores) {
		return scores.stream()
				.reduce(BigDecimal.ZERO, BigDecimal::add)
				.divide(BigDecimal.valueOf(scores.size()), MathContext.DECIMAL64);
	}
}
