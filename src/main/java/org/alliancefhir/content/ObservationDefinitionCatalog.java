package org.alliancefhir.content;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ObservationDefinition;

/**
 * Finds the stored ObservationDefinition of a score code (R4 defines no search parameter on its code, so all are
 * loaded at once and indexed by {@code system|code}); cached until an ObservationDefinition is written, on this node
 * or another ({@link #forget()}).
 */
public class ObservationDefinitionCatalog {

	private static final String RESOURCE_TYPE = "ObservationDefinition";

	private final DaoRegistry daoRegistry;
	private final LoadedContent<String, Map<String, ObservationDefinition>> byCode = new LoadedContent<>();

	public ObservationDefinitionCatalog(DaoRegistry daoRegistry) {
		this.daoRegistry = daoRegistry;
	}

	/** The definition whose code contains the given coding, if any. */
	public Optional<ObservationDefinition> find(Coding coding) {
		Map<String, ObservationDefinition> index =
				byCode.get(RESOURCE_TYPE, type -> Optional.of(load())).orElseThrow();
		return Optional.ofNullable(index.get(coding.getSystem() + "|" + coding.getCode()));
	}

	/** Drops what is cached, after an ObservationDefinition changed. */
	public void forget() {
		byCode.forget();
	}

	/** An interceptor to register on the JPA interceptor service, so writes of definitions empty the cache. */
	public StoredContentChangeInterceptor changeInterceptor() {
		return new StoredContentChangeInterceptor(RESOURCE_TYPE, this::forget);
	}

	private Map<String, ObservationDefinition> load() {
		Map<String, ObservationDefinition> index = new HashMap<>();
		daoRegistry
				.getResourceDao(RESOURCE_TYPE)
				.search(SearchParameterMap.newSynchronous(), new SystemRequestDetails())
				.getAllResources()
				.forEach(resource -> {
					ObservationDefinition definition = (ObservationDefinition) resource;
					definition
							.getCode()
							.getCoding()
							.forEach(c -> index.put(c.getSystem() + "|" + c.getCode(), definition));
				});
		return index;
	}
}
