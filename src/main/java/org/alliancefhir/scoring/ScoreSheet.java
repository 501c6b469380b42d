package org.alliancefhir.scoring;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * All scores of one response: one {@link Score} per score item and group instance, in Questionnaire order.
 *
 * @param questionnaire the canonical {@code url|version} of the Questionnaire that was applied
 * @param scores the scores
 */
public record ScoreSheet(String questionnaire, List<Score> scores) {

	public ScoreSheet {
		scores = List.copyOf(scores);
	}

	/** The score of an item for one group instance ({@code List.of()} outside repeating groups). */
	public Optional<Score> find(String linkId, List<Integer> groupInstancePath) {
		for (Score score : this.scores) {
			if (score.linkId().equals(linkId) && score.groupInstancePath().equals(groupInstancePath)) {
				return Optional.of(score);
			}
		}
		return Optional.empty();
	}

	/** The value of a score item outside repeating groups; empty when there is no score. */
	public Optional<BigDecimal> value(String linkId) {
		return find(linkId, List.of()).flatMap(Score::value);
	}
}
