package org.alliancefhir.feedback;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.alliancefhir.storage.DerivedResourceStore;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;

/**
 * Finds the stored scores a rule compares: a client's series for one score code, or one session's scores. Scores
 * written earlier in the same transaction are added from memory: a search need not see them yet.
 */
class ScoreQueries {

	private final DerivedResourceStore store;

	ScoreQueries(DerivedResourceStore store) {
		this.store = store;
	}

	/** Current scores of the subject carrying any of the codes (as value or component), oldest first. */
	List<Observation> scores(String subject, List<Coding> codes, boolean ownCode, List<Observation> written) {
		TokenOrListParam anyCode = new TokenOrListParam();
		codes.forEach(c -> anyCode.addOr(new TokenParam(c.getSystem(), c.getCode())));
		SearchParameterMap search = SearchParameterMap.newSynchronous()
				.add(Observation.SP_SUBJECT, new ReferenceParam(subject))
				.add(ownCode ? Observation.SP_CODE : Observation.SP_COMPONENT_CODE, anyCode);
		Map<String, Observation> byId = new LinkedHashMap<>();
		store.search(Observation.class, search)
				.forEach(o -> byId.put(o.getIdElement().getIdPart(), o));
		written.stream()
				.filter(o -> subject.equals(o.getSubject().getReference()))
				.filter(o ->
						codes.stream().anyMatch(c -> ScoreValues.value(o, c).isPresent()))
				.forEach(o -> byId.put(o.getIdElement().getIdPart(), o));
		return byId.values().stream()
				.filter(ScoreValues::isCurrent)
				.sorted(CHRONOLOGICAL)
				.toList();
	}

	/** The client's series of one score code from one respondent, oldest first. */
	List<Observation> series(Observation score, Coding code, List<Observation> written) {
		String respondent = ScoreValues.respondent(score);
		return scores(score.getSubject().getReference(), List.of(code), ScoreValues.isOwnCode(score, code), written)
				.stream()
				.filter(o -> respondent.equals(ScoreValues.respondent(o)))
				.toList();
	}

	/** By effective time, then by id (numeric ids compare by length first, so 999 comes before 1000). */
	static final Comparator<Observation> CHRONOLOGICAL = Comparator.comparing(
					(Observation o) -> o.getEffectiveDateTimeType().getValue())
			.thenComparing(o -> o.getIdElement().getIdPart().length())
			.thenComparing(o -> o.getIdElement().getIdPart());
}
