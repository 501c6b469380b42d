package org.alliancefhir.extraction;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.param.UriParam;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import org.alliancefhir.content.StoredContentChangeInterceptor;
import org.alliancefhir.scoring.ValueSetAnswers;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemAnswerOptionComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * Turns the {@code answerValueSet} of every item without answer options into the answer options that ValueSet
 * enumerates, with their weights ({@link ValueSetAnswers}), on a copy of the server's Questionnaire: answers are then
 * checked and scored without the CodeSystem. The ValueSet is the contained one ({@code #id}), else the one stored
 * on this server under that canonical, else the one the configured terminology server holds. A ValueSet that none of
 * them has, or that does not list its codes, refuses the response with 422 naming the item and the ValueSet.
 * Copies are kept per Questionnaire object until a ValueSet is written.
 */
class AnswerValueSets {

	private final DaoRegistry daoRegistry;
	private final TerminologyServer terminologyServer;
	private final Map<Questionnaire, Questionnaire> resolved = Collections.synchronizedMap(new WeakHashMap<>());

	/** @param terminologyServer the remote terminology server, or {@code null} when none is configured */
	AnswerValueSets(DaoRegistry daoRegistry, TerminologyServer terminologyServer) {
		this.daoRegistry = daoRegistry;
		this.terminologyServer = terminologyServer;
	}

	/**
	 * Returns the Questionnaire itself when no item needs a ValueSet resolved, else a copy whose items carry the
	 * ValueSets' answers as options (and no {@code answerValueSet} any more).
	 *
	 * @throws ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException naming an item whose ValueSet cannot be
	 *     resolved or expanded
	 */
	Questionnaire resolve(Questionnaire questionnaire) {
		Questionnaire known = resolved.get(questionnaire);
		if (known != null) {
			return known;
		}
		if (!needsResolving(questionnaire.getItem())) {
			return questionnaire;
		}
		Questionnaire copy = questionnaire.copy();
		resolveItems(copy, copy.getItem());
		resolved.put(questionnaire, copy);
		return copy;
	}

	/** An interceptor for the JPA interceptor service: a written ValueSet empties the cache. */
	StoredContentChangeInterceptor changeInterceptor() {
		return new StoredContentChangeInterceptor("ValueSet", resolved::clear);
	}

	private static boolean needsResolving(List<QuestionnaireItemComponent> items) {
		return items.stream()
				.anyMatch(item ->
						(item.hasAnswerValueSet() && !item.hasAnswerOption()) || needsResolving(item.getItem()));
	}

	private void resolveItems(Questionnaire questionnaire, List<QuestionnaireItemComponent> items) {
		for (QuestionnaireItemComponent item : items) {
			if (item.hasAnswerValueSet() && !item.hasAnswerOption()) {
				String canonical = item.getAnswerValueSet();
				List<QuestionnaireItemAnswerOptionComponent> options = valueSet(questionnaire, canonical)
						.map(vs -> ValueSetAnswers.options(vs).orElseThrow(() -> notExpandable(item, canonical)))
						.orElseThrow(() -> unknown(item, canonical));
				item.setAnswerOption(options);
				item.setAnswerValueSet(null);
			}
			resolveItems(questionnaire, item.getItem());
		}
	}

	private Optional<ValueSet> valueSet(Questionnaire questionnaire, String canonical) {
		if (canonical.startsWith("#")) {
			String id = canonical.substring(1);
			return questionnaire.getContained().stream()
					.filter(r ->
							r instanceof ValueSet && id.equals(r.getIdElement().getIdPart()))
					.map(ValueSet.class::cast)
					.findFirst();
		}
		Optional<ValueSet> stored = stored(canonical);
		if (stored.isPresent() || terminologyServer == null) {
			return stored;
		}
		try {
			return terminologyServer.expand(canonical);
		} catch (IllegalStateException e) {
			throw ResponseProblems.reject(
					IssueType.EXCEPTION,
					"QuestionnaireResponse.questionnaire",
					"The answers of ValueSet " + canonical + " could not be read: " + e.getMessage());
		}
	}

	private Optional<ValueSet> stored(String canonical) {
		int bar = canonical.indexOf('|');
		String url = bar < 0 ? canonical : canonical.substring(0, bar);
		SearchParameterMap search = SearchParameterMap.newSynchronous().add("url", new UriParam(url));
		if (bar >= 0) {
			search.add("version", new TokenParam(canonical.substring(bar + 1)));
		}
		return daoRegistry
				.getResourceDao("ValueSet")
				.search(search, new SystemRequestDetails())
				.getAllResources()
				.stream()
				.map(ValueSet.class::cast)
				.filter(vs -> url.equals(vs.getUrl()))
				.findFirst();
	}

	private RuntimeException unknown(QuestionnaireItemComponent item, String canonical) {
		String where = canonical.startsWith("#")
				? "which the Questionnaire does not contain"
				: terminologyServer == null
						? "which is not stored on this server, and no terminology server is configured"
						: "which neither this server nor the terminology server holds";
		return refusal(item, canonical, where);
	}

	private static RuntimeException notExpandable(QuestionnaireItemComponent item, String canonical) {
		return refusal(
				item,
				canonical,
				"which does not list its codes (compose.include.concept or expansion.contains), so its answers cannot be"
						+ " checked or weighed without a terminology server");
	}

	private static RuntimeException refusal(QuestionnaireItemComponent item, String canonical, String reason) {
		return ResponseProblems.reject(
				IssueType.NOTFOUND,
				"QuestionnaireResponse.questionnaire",
				"Item '" + item.getLinkId() + "' takes its answers from the ValueSet " + canonical + ", " + reason);
	}
}
