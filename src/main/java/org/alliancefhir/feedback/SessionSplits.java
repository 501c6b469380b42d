package org.alliancefhir.feedback;

import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.alliancefhir.storage.DerivedResourceStore;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;

/**
 * Recomputes a split rule's indices for one session of one client: the latest score of each respondent (or rated
 * member) for the rule's codes in that session; with two or more respondents the split Observation is written,
 * with fewer it is removed. The cost does not grow with the session: it reads the session's latest
 * {@link ScoreQueries#SESSION_SCORES} scores and, for respondents not among them, the scores the stored split was
 * derived from (one read each), so the split is updated from what it was rather than rebuilt from every response.
 */
class SessionSplits {

	/** One client's session and the split rules its changed scores trigger. */
	record Session(Observation anchor, Set<FeedbackRule> rules) {
		Session(Observation anchor) {
			this(anchor, new LinkedHashSet<>());
		}

		static String key(Observation score) {
			return score.getSubject().getReference() + "|" + ScoreValues.session(score);
		}
	}

	private final ScoreQueries queries;
	private final ChangedObservationWriter writer;
	private final DerivedResourceStore store;

	SessionSplits(ScoreQueries queries, ChangedObservationWriter writer, DerivedResourceStore store) {
		this.queries = queries;
		this.writer = writer;
		this.store = store;
	}

	/** Reads the session's scores once, then recomputes every triggered split rule on them. */
	void recompute(Session session, Set<String> excluded, List<Observation> written, TransactionDetails tx) {
		List<Coding> codes = session.rules().stream()
				.flatMap(r -> r.triggerCodes().stream())
				.distinct()
				.toList();
		Map<String, Observation> byId = new LinkedHashMap<>();
		for (boolean ownCode : List.of(true, false)) {
			queries.session(session.anchor(), codes, ownCode, excluded, written)
					.forEach(o -> byId.put(o.getIdElement().getIdPart(), o));
		}
		List<Observation> scores =
				byId.values().stream().sorted(ScoreQueries.CHRONOLOGICAL).toList();
		session.rules().forEach(rule -> recompute(rule, session.anchor(), scores, excluded, tx));
	}

	private void recompute(
			FeedbackRule rule,
			Observation anchor,
			List<Observation> recentScores,
			Set<String> excluded,
			TransactionDetails tx) {
		String subject = anchor.getSubject().getReference();
		Identifier identifier = FeedbackIdentifiers.forSession(rule, subject, ScoreValues.session(anchor));
		Map<String, Observation> latest = new LinkedHashMap<>();
		Map<String, BigDecimal> scores = new LinkedHashMap<>();
		for (Observation o : withEarlierInputs(identifier, anchor, recentScores, excluded)) {
			valueOf(rule, o).ifPresent(value -> {
				latest.put(ScoreValues.respondent(o), o);
				scores.put(ScoreValues.respondent(o), value);
			});
		}
		if (scores.size() < 2) {
			writer.deleteIfStored(identifier, tx);
			return;
		}
		Map<String, BigDecimal> indices = new LinkedHashMap<>();
		SplitIndices.Pair pair = SplitIndices.furthestPair(scores);
		for (String index : rule.splitIndices()) {
			switch (index) {
				case SplitIndices.RANGE -> indices.put(index, SplitIndices.range(scores));
				case SplitIndices.SD -> indices.put(index, SplitIndices.standardDeviation(scores));
				case SplitIndices.MAX_PAIR_DIFFERENCE -> indices.put(index, pair.difference());
				case SplitIndices.OPPOSITE_SIGNS -> indices.put(
						index, BigDecimal.valueOf(SplitIndices.oppositeSignPairs(scores)));
				case SplitIndices.DIFFERENCE -> difference(rule, latest.values())
						.ifPresent(d -> indices.put(index, d));
				default -> throw new IllegalStateException("unknown split index " + index);
			}
		}
		indices.put(SplitIndices.RESPONDENTS, BigDecimal.valueOf(scores.size()));
		Observation newest =
				latest.values().stream().max(ScoreQueries.CHRONOLOGICAL).orElseThrow();
		Observation split = FeedbackObservations.split(
				rule, identifier, newest, latest.values(), scores, indices, pair.first() + " – " + pair.second());
		writer.write(split, identifier, tx);
	}

	/**
	 * The session's recent scores plus those the stored split was derived from that are not among them (a respondent
	 * who answered before the recent ones), as long as they are still current and in the session; oldest first.
	 */
	private List<Observation> withEarlierInputs(
			Identifier identifier, Observation anchor, List<Observation> recentScores, Set<String> excluded) {
		Set<String> recent = new HashSet<>();
		recentScores.forEach(o -> recent.add(o.getIdElement().getIdPart()));
		List<Observation> all = new ArrayList<>(recentScores);
		writer.stored(identifier).ifPresent(split -> split.getDerivedFrom().stream()
				.map(Reference::getReferenceElement)
				.filter(id -> !recent.contains(id.getIdPart()) && !excluded.contains(id.getIdPart()))
				.forEach(id -> store.read(Observation.class, id)
						.filter(ScoreValues::isCurrent)
						.filter(o -> ScoreValues.session(o).equals(ScoreValues.session(anchor)))
						.ifPresent(all::add)));
		all.sort(ScoreQueries.CHRONOLOGICAL);
		return all;
	}

	/** The first trigger code's score minus the second's, when the session has exactly one of each. */
	private static Optional<BigDecimal> difference(FeedbackRule rule, Iterable<Observation> scores) {
		if (rule.triggerCodes().size() != 2) {
			return Optional.empty();
		}
		List<BigDecimal> first = values(scores, rule.triggerCodes().get(0));
		List<BigDecimal> second = values(scores, rule.triggerCodes().get(1));
		return first.size() == 1 && second.size() == 1
				? Optional.of(first.get(0).subtract(second.get(0)))
				: Optional.empty();
	}

	private static List<BigDecimal> values(Iterable<Observation> scores, Coding code) {
		List<BigDecimal> values = new ArrayList<>();
		scores.forEach(o -> ScoreValues.value(o, code).ifPresent(values::add));
		return values;
	}

	private static Optional<BigDecimal> valueOf(FeedbackRule rule, Observation observation) {
		return rule.triggerCodes().stream()
				.map(c -> ScoreValues.value(observation, c))
				.flatMap(Optional::stream)
				.findFirst();
	}
}
