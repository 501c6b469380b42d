package org.alliancefhir.scoring;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A score the client sent in its response that differs from the server's value, or that the server has no value
 * for.
 *
 * @param linkId the score item's linkId
 * @param groupInstancePath the 0-based instance index of each enclosing repeating group, outermost first
 * @param clientValue the value as the client sent it, e.g. {@code "36"}
 * @param serverValue the server's score, empty when the server has none
 */
public record ScoreDiscrepancy(
		String linkId, List<Integer> groupInstancePath, String clientValue, Optional<BigDecimal> serverValue) {

	public ScoreDiscrepancy {
		Objects.requireNonNull(linkId, "linkId");
		groupInstancePath = List.copyOf(groupInstancePath);
		Objects.requireNonNull(serverValue, "serverValue");
	}
}
