package org.alliancefhir.scoring;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The score rules of one Questionnaire version, parsed once and ready to evaluate against many responses.
 */
public final class ScoringPlan {

	private final String questionnaire;

	private final PlanItem root;

	private final AnswerWeights weights;

	private final int slotCount;

	private final Precomputed precomputed;

	private final Set<String> scoreLinkIds = new LinkedHashSet<>();

	private final Set<String> repeatingGroups = new HashSet<>();

	ScoringPlan(String questionnaire, PlanItem root, AnswerWeights weights, int slotCount, Precomputed precomputed) {
		this.questionnaire = questionnaire;
		this.precomputed = precomputed;
		this.root = root;
		this.weights = weights;
		this.slotCount = slotCount;
		index(root);
	}

	private void index(PlanItem item) {
		if (item.calculation() != null) {
			this.scoreLinkIds.add(item.linkId());
		}
		if (item.group() && item.repeats()) {
			this.repeatingGroups.add(item.linkId());
		}
		item.children().forEach(this::index);
	}

	/** The canonical {@code url|version} of the Questionnaire. */
	public String questionnaire() {
		return this.questionnaire;
	}

	/** The linkIds of the items that carry a score expression, in Questionnaire order. */
	public List<String> scoreLinkIds() {
		return List.copyOf(this.scoreLinkIds);
	}

	PlanItem root() {
		return this.root;
	}

	AnswerWeights weights() {
		return this.weights;
	}

	Precomputed precomputed() {
		return this.precomputed;
	}

	int slotCount() {
		return this.slotCount;
	}

	boolean isScore(String linkId) {
		return this.scoreLinkIds.contains(linkId);
	}

	boolean isRepeatingGroup(String linkId) {
		return this.repeatingGroups.contains(linkId);
	}
}
