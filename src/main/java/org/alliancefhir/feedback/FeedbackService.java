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
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.alliancefhir.storage.DerivedResourceStore;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.StringType;

/**
 * Keeps what the feedback rules derive in step with changed scores, in the caller's transaction: for every rule a
 * changed score triggers, the client's series is re-evaluated from the earliest changed score on (comparisons and
 * alerts; a later session ends the open alert of the session before it, with its own alert or by the rule's stop
 * condition), and each touched session's split-alliance indices are recomputed once. Withdrawn scores take their
 * alerts and comparisons with them; scores about to be deleted lose their dependants first, so nothing refers to a
 * deleted score. The changes of many responses of one client are applied together: one set of look-ups per series.
 */
public class FeedbackService {

	private final FeedbackRuleCatalog rules;
	private final RuleExpressions expressions;
	private final ScoreQueries queries;
	private final Alerts alerts;
	private final SessionSplits splits;
	private final ChangedObservationWriter writer;
	private final DerivedResourceStore store;

	public FeedbackService(FeedbackRuleCatalog rules, RuleExpressions expressions, DerivedResourceStore store) {
		this.rules = rules;
		this.expressions = expressions;
		this.store = store;
		this.queries = new ScoreQueries(store);
		this.alerts = new Alerts(store);
		this.writer = new ChangedObservationWriter(store);
		this.splits = new SessionSplits(queries, writer, store, rules.perspectives());
	}

	/** Applies the rules to what changed; the client's age is read once, when a rule needs it. */
	public void apply(ScoreChanges changes, TransactionDetails tx) {
		List<Observation> current = changes.current();
		List<Observation> withdrawn = changes.withdrawn();
		List<Observation> deleting = changes.deleting();
		ClientAges ages = new ClientAges(store);
		Set<String> excluded = new HashSet<>();
		Stream.concat(withdrawn.stream(), deleting.stream())
				.forEach(o -> excluded.add(o.getIdElement().getIdPart()));
		CareRelationships relationships = new CareRelationships(store);
		Map<String, SeriesStart> series = new LinkedHashMap<>();
		Map<String, SessionSplits.Session> sessions = new LinkedHashMap<>();
		for (Observation score : changes.all().toList()) {
			for (Coding code : codesOf(score)) {
				for (FeedbackRule rule : rules.triggeredBy(code)) {
					if (rule.kind() == FeedbackRule.Kind.SPLIT) {
						sessions.computeIfAbsent(
										SessionSplits.Session.key(score), k -> new SessionSplits.Session(score))
								.rules()
								.add(rule);
						continue;
					}
					if (withdrawn.contains(score)) {
						withdrawOutputs(rule, score, false, tx);
					} else if (deleting.contains(score)) {
						withdrawOutputs(rule, score, true, tx);
					}
					series.computeIfAbsent(
									SeriesStart.key(code, score, relationships.of(score)),
									k -> new SeriesStart(code, score))
							.add(rule, score);
				}
			}
		}
		List<SeriesPlan> plans = series.values().stream()
				.map(start -> plan(start, current, excluded, relationships))
				.toList();
		lookUpOutputs(plans, sessions.values(), tx);
		for (SeriesPlan plan : plans) {
			for (Position at : plan.positions()) {
				for (FeedbackRule rule : plan.start().rules()) {
					evaluate(rule, at, plan.start().code(), ages, tx);
				}
			}
		}
		sessions.values().forEach(session -> splits.recompute(session, excluded, current, tx));
	}

	/** A series to re-evaluate: where it starts and each score to evaluate with its neighbours, in order. */
	private record SeriesPlan(SeriesStart start, List<Position> positions) {}

	/**
	 * Looks up together every comparison, Task, Flag and split the evaluation may read or write, so each of those
	 * reads and writes needs no look-up of its own.
	 */
	private void lookUpOutputs(
			List<SeriesPlan> plans, Collection<SessionSplits.Session> sessions, TransactionDetails tx) {
		Set<IdType> ids = new LinkedHashSet<>();
		for (SeriesPlan plan : plans) {
			for (Position at : plan.positions()) {
				plan.start().rules().forEach(rule -> ids.addAll(outputIds(rule, at)));
			}
		}
		for (SessionSplits.Session session : sessions) {
			Observation anchor = session.anchor();
			session.rules()
					.forEach(rule -> ids.add(ChangedObservationWriter.id(FeedbackIdentifiers.forSession(
							rule, anchor.getSubject().getReference(), ScoreValues.session(anchor)))));
		}
		store.lookUp(ids, tx);
	}

	/**
	 * What a rule at a position may read or write: an alert rule its Task and Flag on the score and on the score
	 * before it (whose alert it may end), any other rule its comparison Observation.
	 */
	private static List<IdType> outputIds(FeedbackRule rule, Position at) {
		if (rule.kind() != FeedbackRule.Kind.ALERT) {
			return List.of(ChangedObservationWriter.id(FeedbackIdentifiers.forScore(rule, at.score())));
		}
		return Stream.of(at.score(), at.previous())
				.filter(Objects::nonNull)
				.flatMap(score -> Alerts.ids(rule, score).stream())
				.toList();
	}

	/**
	 * Plans the re-evaluation of a series (one client, score code, respondent and care relationship) from its earliest
	 * changed score on, every rule of the code on every score, each against the score before it: one set of queries
	 * for all rules of the code. When that score is withdrawn or deleted, the one before it is evaluated again too,
	 * since it may now be the latest and its alert, ended by the withdrawn session, applies again.
	 */
	private SeriesPlan plan(
			SeriesStart start, List<Observation> written, Set<String> excluded, CareRelationships relationships) {
		Observation from = start.score();
		ScoreQueries.Window latest = queries.latest(from, start.code(), excluded, written, relationships);
		Observation previous = latest.before(from).orElse(null);
		if (previous != null && excluded.contains(from.getIdElement().getIdPart())) {
			from = previous;
			previous = latest.before(from).orElse(null);
		}
		Observation first = start.rules().stream().anyMatch(FeedbackRule::usesFirst)
				? latest.first(from).orElse(null)
				: null;
		int sessionNumber =
				start.rules().stream().anyMatch(FeedbackRule::usesSessionNumber) ? latest.countBefore(from) : 0;
		List<Position> positions = new ArrayList<>();
		for (Observation score : latest.fromOnwards(from)) {
			Observation earlierFirst =
					first != null && ScoreQueries.CHRONOLOGICAL.compare(first, score) < 0 ? first : null;
			sessionNumber++;
			positions.add(new Position(score, previous, earlierFirst, sessionNumber));
			previous = score;
			first = earlierFirst == null ? score : first;
		}
		return new SeriesPlan(start, positions);
	}

	/** A score with its neighbours in the series: the score before it, the first one and its 1-based number. */
	private record Position(Observation score, Observation previous, Observation first, int sessionNumber) {}

	private void evaluate(FeedbackRule rule, Position at, Coding code, ClientAges age, TransactionDetails tx) {
		Observation score = at.score();
		Observation previous = at.previous();
		Observation first = at.first();
		Optional<BigDecimal> value = ScoreValues.value(score, code);
		if (value.isEmpty()) {
			return;
		}
		Observation baseline = rule.comparesWithFirst() ? first : previous;
		Optional<BigDecimal> baselineValue = Optional.ofNullable(baseline).flatMap(b -> ScoreValues.value(b, code));
		Map<String, List<Base>> scope = new LinkedHashMap<>();
		scope.put("score", decimal(value));
		scope.put("previous", decimal(Optional.ofNullable(previous).flatMap(p -> ScoreValues.value(p, code))));
		scope.put("first", decimal(Optional.ofNullable(first).flatMap(f -> ScoreValues.value(f, code))));
		scope.put("baseline", decimal(baselineValue));
		scope.put("change", decimal(baselineValue.map(b -> value.get().subtract(b))));
		scope.put("isFirst", List.of(new BooleanType(previous == null)));
		scope.put("sessionNumber", rule.usesSessionNumber() ? List.of(new IntegerType(at.sessionNumber())) : List.of());
		scope.put(
				"interpretation",
				ScoreValues.interpretation(score, code)
						.<List<Base>>map(c -> List.of(new StringType(c)))
						.orElse(List.of()));
		scope.put("ageInYears", years(age.of(score)));
		boolean applies = expressions.isTrue(rule.condition(), scope, score);
		Identifier identifier = FeedbackIdentifiers.forScore(rule, score);
		if (rule.kind() == FeedbackRule.Kind.ALERT) {
			if (applies) {
				alerts.raise(rule, score, tx);
			} else {
				alerts.clear(rule, score, tx);
			}
			if (previous != null && (applies || expressions.isTrue(rule.stop(), scope, score))) {
				// a new alert replaces the one before it; without one, the rule's stop condition (by default: this
				// session does not break the rule) ends it
				alerts.endEarlier(rule, previous, score, applies, tx);
			}
		} else if (applies && baselineValue.isPresent()) {
			String interpretation = rule.interpretation() == null
					? null
					: expressions.evaluate(rule.interpretation(), scope, score).stream()
							.findFirst()
							.map(Base::primitiveValue)
							.orElse(null);
			Observation comparison = FeedbackObservations.comparison(
					rule, identifier, score, baseline, code, value.get(), baselineValue.get(), interpretation);
			writer.write(comparison, identifier, tx);
		} else {
			writer.deleteIfStored(identifier, tx);
		}
	}

	private void withdrawOutputs(FeedbackRule rule, Observation score, boolean deleting, TransactionDetails tx) {
		if (rule.kind() == FeedbackRule.Kind.ALERT) {
			if (deleting) {
				alerts.delete(rule, score, tx);
			} else {
				alerts.clear(rule, score, tx);
			}
			return;
		}
		writer.stored(FeedbackIdentifiers.forScore(rule, score)).ifPresent(comparison -> {
			if (deleting) {
				store.delete(comparison, tx);
			} else {
				comparison.setStatus(ObservationStatus.ENTEREDINERROR);
				store.update(comparison, tx);
			}
		});
	}

	private static List<Coding> codesOf(Observation score) {
		List<Coding> codes = new ArrayList<>(score.getCode().getCoding());
		score.getComponent().forEach(c -> codes.addAll(c.getCode().getCoding()));
		return codes;
	}

	private static List<Base> decimal(Optional<BigDecimal> value) {
		return value.<List<Base>>map(v -> List.of(new DecimalType(v))).orElse(List.of());
	}

	/** Where a client's series must be re-evaluated from, and by which rules: one score code, one respondent. */
	private static final class SeriesStart {
		private final Coding code;
		private Observation score;
		private final Set<FeedbackRule> rules = new LinkedHashSet<>();

		SeriesStart(Coding code, Observation score) {
			this.code = code;
			this.score = score;
		}

		static String key(Coding code, Observation score, CareRelationships.Relationship relationship) {
			return code.getSystem() + "|" + code.getCode() + "|"
					+ score.getSubject().getReference() + "|" + ScoreValues.respondent(score) + "|"
					+ relationship.key();
		}

		void add(FeedbackRule rule, Observation changed) {
			rules.add(rule);
			if (ScoreQueries.CHRONOLOGICAL.compare(changed, score) < 0) {
				score = changed;
			}
		}

		Coding code() {
			return code;
		}

		Observation score() {
			return score;
		}

		Set<FeedbackRule> rules() {
			return rules;
		}
	}

	private static List<Base> years(Integer years) {
		return years == null ? List.of() : List.of(new IntegerType(years));
	}
}
