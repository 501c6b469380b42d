package org.alliancefhir.feedback;

import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
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
 * Recomputes a split rule's indices for one session of one client from the latest score of each respondent (or rated
 * member) for the rule's codes in that session, each on the family's or the hulpverlener's side by the respondent
 * perspective of its Questionnaire; when the session allows any of the rule's indices the split Observation is
 * written, else it is removed. The cost does not grow with the session: it reads the session's latest
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
	private final RespondentPerspectives perspectives;

	SessionSplits(
			ScoreQueries queries,
			ChangedObservationWriter writer,
			DerivedResourceStore store,
			RespondentPerspectives perspectives) {
		this.queries = queries;
		this.writer = writer;
		this.store = store;
		this.perspectives = perspectives;
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
		Map<String, BigDecimal> family = new LinkedHashMap<>();
		Map<String, BigDecimal> professional = new LinkedHashMap<>();
		for (Observation o : withEarlierInputs(identifier, anchor, recentScores, excluded)) {
			for (Coding code : rule.triggerCodes()) {
				Optional<BigDecimal> value = ScoreValues.value(o, code);
				if (value.isPresent()) {
					String respondent = ScoreValues.respondent(o);
					latest.put(respondent, o);
					family.remove(respondent);
					professional.remove(respondent);
					(isProfessional(o, code) ? professional : family).put(respondent, value.get());
					break;
				}
			}
		}
		Map<String, BigDecimal> indices = indices(rule, family.values(), professional.values());
		if (indices.isEmpty()) {
			writer.deleteIfStored(identifier, tx);
			return;
		}
		indices.put(SplitIndices.FAMILY_RESPONDENTS, BigDecimal.valueOf(family.size()));
		indices.put(SplitIndices.RESPONDENTS, BigDecimal.valueOf(latest.size()));
		Observation newest =
				latest.values().stream().max(ScoreQueries.CHRONOLOGICAL).orElseThrow();
		writer.write(FeedbackObservations.split(rule, identifier, newest, latest.values(), indices), identifier, tx);
	}

	/** The rule's indices that the session's scores allow: two family members within, one of each side for the gap. */
	private static Map<String, BigDecimal> indices(
			FeedbackRule rule, Collection<BigDecimal> family, Collection<BigDecimal> professional) {
		Map<String, BigDecimal> indices = new LinkedHashMap<>();
		for (String index : rule.splitIndices()) {
			if (SplitIndices.WITHIN_FAMILY.contains(index) && family.size() < 2
					|| SplitIndices.FAMILY_THERAPIST_GAP.equals(index)
							&& (family.isEmpty() || professional.isEmpty())) {
				continue;
			}
			switch (index) {
				case SplitIndices.FAMILY_RANGE -> indices.put(index, SplitIndices.range(family));
				case SplitIndices.FAMILY_SD -> indices.put(index, SplitIndices.standardDeviation(family));
				case SplitIndices.FAMILY_OPPOSITE_SIGNS -> indices.put(
						index, BigDecimal.valueOf(SplitIndices.oppositeSignPairs(family)));
				case SplitIndices.FAMILY_THERAPIST_GAP -> indices.put(index, SplitIndices.gap(family, professional));
				default -> throw new IllegalStateException("unknown split index " + index);
			}
		}
		return indices;
	}

	/**
	 * Whether the score is the hulpverlener's: its code comes from a Questionnaire of a professional respondent
	 * perspective and it is not about a rated family member.
	 */
	private boolean isProfessional(Observation score, Coding code) {
		return !score.hasFocus()
				&& perspectives
						.of(code)
						.filter(SplitIndices.PROFESSIONAL_PERSPECTIVES::contains)
						.isPresent();
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
}
