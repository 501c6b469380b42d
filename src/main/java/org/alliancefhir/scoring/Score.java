package org.alliancefhir.scoring;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The server's value of one score item, for one instance of its enclosing repeating groups.
 *
 * @param linkId the score item's linkId
 * @param groupInstancePath the 0-based instance index of each enclosing repeating group, outermost first; empty
 * outside repeating groups
 * @param value the exact score, or empty when the rules give no score (for example an unanswered item)
 */
public record Score(String linkId, List<Integer> groupInstancePath, Optional<BigDecimal> value) {

	public Score {
		Objects.requireNonNull(linkId, "linkId");
		groupInstancePath = List.copyOf(groupInstancePath);
		Objects.requireNonNull(value, "value");
	}
}
