package org.alliancefhir.content;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.param.UriParam;
import java.util.Comparator;
import java.util.Optional;
import org.hl7.fhir.r4.model.Questionnaire;

/**
 * Finds the server's own stored Questionnaire for a canonical reference: {@code url|version} exactly (HAPI's own
 * lookup ignores the version, hapifhir/hapi-fhir#3157 and #7354), a bare {@code url} as its highest version.
 * Results are cached until a Questionnaire is written, on this node or another ({@link #forget()}); callers must not
 * modify what they get.
 */
public class QuestionnaireCatalog {

	private final DaoRegistry daoRegistry;
	private final LoadedContent<String, Questionnaire> cache = new LoadedContent<>();

	public QuestionnaireCatalog(DaoRegistry daoRegistry) {
		this.daoRegistry = daoRegistry;
	}

	/** Looks up {@code url|version} or {@code url}. */
	public Optional<Questionnaire> find(String canonical) {
		if (canonical == null || canonical.isBlank()) {
			return Optional.empty();
		}
		// only hits are kept: unknown references come from clients and must not grow the cache
		return cache.get(canonical, this::load);
	}

	/** Drops what is cached, after a Questionnaire changed. */
	public void forget() {
		cache.forget();
	}

	private Optional<Questionnaire> load(String canonical) {
		int bar = canonical.indexOf('|');
		String url = bar < 0 ? canonical : canonical.substring(0, bar);
		SearchParameterMap search = SearchParameterMap.newSynchronous().add("url", new UriParam(url));
		if (bar >= 0) {
			search.add("version", new TokenParam(canonical.substring(bar + 1)));
		}
		return dao().search(search, new SystemRequestDetails()).getAllResources().stream()
				.map(Questionnaire.class::cast)
				.filter(q -> url.equals(q.getUrl()))
				.max(Comparator.comparing(Questionnaire::getVersion, SemanticVersions::compare));
	}

	/** An interceptor to register on the JPA interceptor service, so writes of Questionnaires empty the cache. */
	public StoredContentChangeInterceptor changeInterceptor() {
		return new StoredContentChangeInterceptor("Questionnaire", this::forget);
	}

	@SuppressWarnings("unchecked")
	private IFhirResourceDao<Questionnaire> dao() {
		return (IFhirResourceDao<Questionnaire>) daoRegistry.getResourceDao("Questionnaire");
	}
}
