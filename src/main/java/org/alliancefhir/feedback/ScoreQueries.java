package org.alliancefhir.feedback;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.SortOrderEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.alliancefhir.storage.DerivedResourceStore;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;

/**
 * Finds the stored scores a rule compares, with small bounded searches: the score before a given one, the first one
 * and the ones from a given one on in a client's series (one score code, one respondent, one care relationship:
 * {@link CareRelationships}), or one session's scores;
 * and, for rules that need it, how many scores come before a given one. A series' latest scores are read with one
 * search ({@link #latest}), which answers all of these for most series; the others search as before.
 * Only current scores count; scores written earlier in the same transaction are added from memory, since a search
 * need not see them yet.
 */
class ScoreQueries {

	/** By effective time, then by id (numeric ids compare by length first, so 999 comes before 1000). */
	static final Comparator<Observation> CHRONOLOGICAL = Comparator.comparing(
					(Observation o) -> o.getEffectiveDateTimeType().getValue())
			.thenComparing(o -> o.getIdElement().getIdPart().length())
			.thenComparing(o -> o.getIdElement().getIdPart());

	/** Enough to see past scores with the same time as the one asked about. */
	private static final int NEIGHBOURS = 5;
	/** How many earlier scores {@code %sessionNumber} counts at most: rules compare it with a treatment's first sessions. */
	private static final int SESSION_NUMBER_LIMIT = 100;

	/**
	 * The most recent scores of a session that its split indices look at: care produces a handful per session; a
	 * session flooded with more (a form re-sent hundreds of times) counts only its latest, so the cost stays bounded.
	 */
	static final int SESSION_SCORES = 50;

	/**
	 * How many of a series' latest scores {@link #latest} reads: enough to hold the whole series of most clients, so
	 * that one search answers all the questions a series' rules ask.
	 */
	static final int WINDOW = 20;

	/** The widest offsets from UTC: a local day spans these instants. */
	private static final String EARLIEST_OFFSET = "+14:00";

	private static final String LATEST_OFFSET = "-12:00";

	private final DerivedResourceStore store;

	ScoreQueries(DerivedResourceStore store) {
		this.store = store;
	}

	/** The latest score of the series before the given one. */
	Optional<Observation> before(
			Observation score,
			Coding code,
			Set<String> excluded,
			List<Observation> written,
			CareRelationships relationships) {
		List<Observation> earlier = series(score, code, excluded, written, relationships, search -> search.add(
								Observation.SP_DATE, date(ParamPrefixEnum.LESSTHAN_OR_EQUALS, score))
						.setSort(new SortSpec(Observation.SP_DATE, SortOrderEnum.DESC))
						.setCount(NEIGHBOURS))
				.stream()
				.filter(o -> CHRONOLOGICAL.compare(o, score) < 0)
				.toList();
		return earlier.isEmpty() ? Optional.empty() : Optional.of(earlier.get(earlier.size() - 1));
	}

	/**
	 * The latest {@link #WINDOW} scores of the series of the given score, read with one search: the returned window
	 * answers the questions below from memory when what they ask about lies inside it, and searches otherwise.
	 */
	Window latest(
			Observation score,
			Coding code,
			Set<String> excluded,
			List<Observation> written,
			CareRelationships relationships) {
		SearchParameterMap search = seriesSearch(score, code, relationships)
				.setSort(new SortSpec(Observation.SP_DATE, SortOrderEnum.DESC))
				.setCount(WINDOW);
		Merged latest = merged(search, List.of(code), excluded, written, inSeries(score, relationships));
		return new Window(latest, code, excluded, written, relationships);
	}

	/**
	 * A series' latest scores. When the search returned fewer than it asked for, the window holds the whole series;
	 * otherwise it holds every score later than the earliest time it returned (scores at that very time may have been
	 * cut off), and questions about earlier scores are searched as before.
	 */
	final class Window {

		private final List<Observation> scores;
		private final boolean whole;
		private final Date earliest;
		private final Coding code;
		private final Set<String> excluded;
		private final List<Observation> written;
		private final CareRelationships relationships;

		private Window(
				Merged latest,
				Coding code,
				Set<String> excluded,
				List<Observation> written,
				CareRelationships relationships) {
			this.scores = latest.scores();
			this.whole = latest.searched() < WINDOW;
			this.earliest = latest.earliestSearched();
			this.code = code;
			this.excluded = excluded;
			this.written = written;
			this.relationships = relationships;
		}

		/** As {@link ScoreQueries#before}. */
		Optional<Observation> before(Observation score) {
			Optional<Observation> latestBefore = scores.stream()
					.filter(o -> CHRONOLOGICAL.compare(o, score) < 0)
					.reduce((a, b) -> b);
			if (whole || latestBefore.filter(this::inside).isPresent()) {
				return latestBefore;
			}
			return ScoreQueries.this.before(score, code, excluded, written, relationships);
		}

		/** As {@link ScoreQueries#first}. */
		Optional<Observation> first(Observation score) {
			return whole
					? scores.stream().findFirst()
					: ScoreQueries.this.first(score, code, excluded, written, relationships);
		}

		/** As {@link ScoreQueries#countBefore}. */
		int countBefore(Observation score) {
			return whole
					? (int) scores.stream()
							.filter(o -> CHRONOLOGICAL.compare(o, score) < 0)
							.count()
					: ScoreQueries.this.countBefore(score, code, excluded, written, relationships);
		}

		/** As {@link ScoreQueries#fromOnwards}. */
		List<Observation> fromOnwards(Observation score) {
			return whole || inside(score)
					? scores.stream()
							.filter(o -> CHRONOLOGICAL.compare(o, score) >= 0)
							.toList()
					: ScoreQueries.this.fromOnwards(score, code, excluded, written, relationships);
		}

		/** Whether every score of the series at the given one's time or later is in the window. */
		private boolean inside(Observation score) {
			return earliest != null
					&& score.getEffectiveDateTimeType().getValue().compareTo(earliest) > 0;
		}
	}

	/**
	 * How many scores of the series come before the given one, counted up to {@link #SESSION_NUMBER_LIMIT}: the
	 * earliest ones are read, so only rules that ask for {@code %sessionNumber} pay for it, and a series flooded with
	 * responses costs them no more than a long treatment does.
	 */
	int countBefore(
			Observation score,
			Coding code,
			Set<String> excluded,
			List<Observation> written,
			CareRelationships relationships) {
		return (int) series(score, code, excluded, written, relationships, search -> search.add(
								Observation.SP_DATE, date(ParamPrefixEnum.LESSTHAN_OR_EQUALS, score))
						.setSort(new SortSpec(Observation.SP_DATE, SortOrderEnum.ASC))
						.setCount(SESSION_NUMBER_LIMIT))
				.stream()
				.filter(o -> CHRONOLOGICAL.compare(o, score) < 0)
				.count();
	}

	/** The first score of the series (the intake). */
	Optional<Observation> first(
			Observation score,
			Coding code,
			Set<String> excluded,
			List<Observation> written,
			CareRelationships relationships) {
		return series(score, code, excluded, written, relationships, search -> search.setSort(
								new SortSpec(Observation.SP_DATE, SortOrderEnum.ASC))
						.setCount(NEIGHBOURS))
				.stream()
				.findFirst();
	}

	/** The given score (when current) and every later one of the series, oldest first. */
	List<Observation> fromOnwards(
			Observation score,
			Coding code,
			Set<String> excluded,
			List<Observation> written,
			CareRelationships relationships) {
		return series(
						score,
						code,
						excluded,
						written,
						relationships,
						search -> search.add(Observation.SP_DATE, date(ParamPrefixEnum.GREATERTHAN_OR_EQUALS, score)))
				.stream()
				.filter(o -> CHRONOLOGICAL.compare(o, score) >= 0)
				.toList();
	}

	/**
	 * The current scores with any of the codes in the session of the given score, oldest first: the session's latest
	 * {@link #SESSION_SCORES} only.
	 */
	List<Observation> session(
			Observation anchor, List<Coding> codes, boolean ownCode, Set<String> excluded, List<Observation> written) {
		String session = ScoreValues.session(anchor);
		SearchParameterMap search = base(anchor.getSubject().getReference(), codes, ownCode);
		if (anchor.hasEncounter()) {
			search.add(
					Observation.SP_ENCOUNTER,
					new ReferenceParam(anchor.getEncounter().getReference()));
		} else {
			// the session is the day in the score's own time zone: search every instant that is on that day in some
			// time zone, then compare exactly
			LocalDate day = LocalDate.parse(session);
			search.add(
					Observation.SP_DATE,
					new DateParam(ParamPrefixEnum.GREATERTHAN_OR_EQUALS, day + "T00:00:00" + EARLIEST_OFFSET));
			search.add(
					Observation.SP_DATE,
					new DateParam(ParamPrefixEnum.LESSTHAN_OR_EQUALS, day + "T23:59:59" + LATEST_OFFSET));
		}
		search.setSort(new SortSpec(Observation.SP_DATE, SortOrderEnum.DESC)).setCount(SESSION_SCORES);
		return merged(
						search,
						codes,
						excluded,
						written,
						o -> anchor.getSubject()
										.getReference()
										.equals(o.getSubject().getReference())
								&& session.equals(ScoreValues.session(o)))
				.scores();
	}

	private List<Observation> series(
			Observation score,
			Coding code,
			Set<String> excluded,
			List<Observation> written,
			CareRelationships relationships,
			Consumer<SearchParameterMap> narrow) {
		SearchParameterMap search = seriesSearch(score, code, relationships);
		narrow.accept(search);
		return merged(search, List.of(code), excluded, written, inSeries(score, relationships))
				.scores();
	}

	private static SearchParameterMap seriesSearch(Observation score, Coding code, CareRelationships relationships) {
		String respondent = ScoreValues.respondent(score);
		SearchParameterMap search =
				base(score.getSubject().getReference(), List.of(code), ScoreValues.isOwnCode(score, code));
		if (score.hasFocus()) {
			search.add(Observation.SP_FOCUS, new ReferenceParam(respondent));
		} else if (score.hasPerformer()) {
			search.add(Observation.SP_PERFORMER, new ReferenceParam(respondent));
		}
		CareRelationships.Relationship relationship = relationships.of(score);
		if (!relationship.isWhole()) {
			search.add(
					Observation.SP_ENCOUNTER,
					relationships.encounters(score.getSubject().getReference(), relationship));
		}
		return search;
	}

	private static Predicate<Observation> inSeries(Observation score, CareRelationships relationships) {
		String respondent = ScoreValues.respondent(score);
		CareRelationships.Relationship relationship = relationships.of(score);
		return o -> score.getSubject().getReference().equals(o.getSubject().getReference())
				&& respondent.equals(ScoreValues.respondent(o))
				&& (relationship.isWhole() || relationship.includes(relationships.of(o)));
	}

	private static SearchParameterMap base(String subject, List<Coding> codes, boolean ownCode) {
		TokenOrListParam anyCode = new TokenOrListParam();
		codes.forEach(c -> anyCode.addOr(new TokenParam(c.getSystem(), c.getCode())));
		TokenOrListParam current =
				new TokenOrListParam().addOr(new TokenParam("final")).addOr(new TokenParam("amended"));
		return SearchParameterMap.newSynchronous()
				.add(Observation.SP_SUBJECT, new ReferenceParam(subject))
				.add(ownCode ? Observation.SP_CODE : Observation.SP_COMPONENT_CODE, anyCode)
				.add(Observation.SP_STATUS, current);
	}

	/** The search's matches (how many the database returned) with the written ones added, current ones only, oldest first. */
	private record Merged(List<Observation> scores, int searched, Date earliestSearched) {}

	private Merged merged(
			SearchParameterMap search,
			List<Coding> codes,
			Set<String> excluded,
			List<Observation> written,
			Predicate<Observation> belongs) {
		Map<String, Observation> byId = new LinkedHashMap<>();
		List<Observation> found = store.search(Observation.class, search);
		found.forEach(o -> byId.put(o.getIdElement().getIdPart(), o));
		written.stream()
				.filter(belongs)
				.filter(o ->
						codes.stream().anyMatch(c -> ScoreValues.value(o, c).isPresent()))
				.forEach(o -> byId.put(o.getIdElement().getIdPart(), o));
		return new Merged(
				byId.values().stream()
						.filter(ScoreValues::isCurrent)
						.filter(belongs)
						.filter(o -> !excluded.contains(o.getIdElement().getIdPart()))
						.sorted(CHRONOLOGICAL)
						.toList(),
				found.size(),
				found.stream()
						.map(o -> o.getEffectiveDateTimeType().getValue())
						.min(Comparator.naturalOrder())
						.orElse(null));
	}

	private static DateParam date(ParamPrefixEnum prefix, Observation score) {
		return new DateParam(prefix, score.getEffectiveDateTimeType().getValueAsString());
	}
}
