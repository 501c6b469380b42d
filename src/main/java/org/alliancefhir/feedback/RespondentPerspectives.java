package org.alliancefhir.feedback;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.param.TokenParam;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.alliancefhir.content.LoadedContent;
import org.alliancefhir.content.RespondentPerspective;
import org.alliancefhir.content.StoredContentChangeInterceptor;
import org.alliancefhir.storage.DerivedResourceStore;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;

/**
 * Whose perspective a score code gives: the respondent perspective of the active Questionnaire that scores it
 * ({@code useContext} of type {@code user}, CodeSystem respondent-perspective); read once and kept until a
 * Questionnaire is written ({@link #forget()}).
 */
public class RespondentPerspectives {

	private static final String RESOURCE_TYPE = "Questionnaire";

	private final DerivedResourceStore store;
	private final LoadedContent<String, Map<String, String>> byCode = new LoadedContent<>();

	RespondentPerspectives(DerivedResourceStore store) {
		this.store = store;
	}

	/** The perspective code of the Questionnaire that scores the code, or empty when none says. */
	Optional<String> of(Coding code) {
		return Optional.ofNullable(index().get(key(code)));
	}

	/** An interceptor to register on the JPA interceptor service, so writes of Questionnaires reload the map. */
	public StoredContentChangeInterceptor changeInterceptor() {
		return new StoredContentChangeInterceptor(RESOURCE_TYPE, this::forget);
	}

	/** Forgets what was read: the next look-up reads the Questionnaires again (after a change on any node). */
	public void forget() {
		byCode.forget();
	}

	private Map<String, String> index() {
		return byCode.get(RESOURCE_TYPE, type -> Optional.of(load())).orElseThrow();
	}

	private Map<String, String> load() {
		Map<String, String> index = new HashMap<>();
		SearchParameterMap search = SearchParameterMap.newSynchronous().add("status", new TokenParam("active"));
		for (Questionnaire questionnaire : store.search(Questionnaire.class, search)) {
			RespondentPerspective.of(questionnaire).ifPresent(p -> index(questionnaire.getItem(), p, index));
		}
		return index;
	}

	private static void index(List<QuestionnaireItemComponent> items, String perspective, Map<String, String> index) {
		for (QuestionnaireItemComponent item : items) {
			item.getCode().forEach(c -> index.put(key(c), perspective));
			index(item.getItem(), perspective, index);
		}
	}

	private static String key(Coding code) {
		return code.getSystem() + "|" + code.getCode();
	}
}
