package org.alliancefhir.content;

import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.UriOrListParam;
import ca.uhn.fhir.rest.param.UriParam;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Resource;

/**
 * The stored resources of one type that the content files may match, fetched with at most two searches (by id and by
 * canonical url) instead of two per file, and kept current as the installation writes.
 */
final class StoredContent {

	private final Map<String, Resource> byId = new HashMap<>();
	private final List<MetadataResource> canonicals = new ArrayList<>();

	private StoredContent() {}

	/** The stored resources of the files' type with one of the files' ids or, for canonical resources, urls. */
	static StoredContent load(IFhirResourceDao<?> dao, List<ContentFile> files) {
		StoredContent stored = new StoredContent();
		TokenOrListParam ids = new TokenOrListParam();
		UriOrListParam urls = new UriOrListParam();
		for (ContentFile file : files) {
			ids.add(null, file.id());
			if (file.resource() instanceof MetadataResource canonical) {
				urls.addOr(new UriParam(canonical.getUrl()));
			}
		}
		search(dao, SearchParameterMap.newSynchronous().add("_id", ids)).forEach(stored::remember);
		if (!urls.getValuesAsQueryTokens().isEmpty()) {
			search(dao, SearchParameterMap.newSynchronous().add("url", urls)).forEach(stored::remember);
		}
		return stored;
	}

	/** The stored resource with the file's {@code url|version}, or with its id when it is not canonical. */
	Optional<Resource> find(Resource resource, String id) {
		if (resource instanceof MetadataResource canonical) {
			return canonicals.stream()
					.filter(stored -> Objects.equals(canonical.getUrl(), stored.getUrl())
							&& Objects.equals(canonical.getVersion(), stored.getVersion()))
					.map(Resource.class::cast)
					.findFirst();
		}
		return Optional.ofNullable(byId.get(id));
	}

	boolean idTaken(String id) {
		return byId.containsKey(id);
	}

	/** Records a resource stored (found or just written), so later files of the same installation see it. */
	void remember(Resource resource) {
		byId.put(resource.getIdElement().getIdPart(), resource);
		if (resource instanceof MetadataResource canonical) {
			canonicals.removeIf(stored -> stored.getIdElement()
					.getIdPart()
					.equals(resource.getIdElement().getIdPart()));
			canonicals.add(canonical);
		}
	}

	private static List<Resource> search(IFhirResourceDao<?> dao, SearchParameterMap search) {
		return dao.search(search, new SystemRequestDetails()).getAllResources().stream()
				.map(Resource.class::cast)
				.toList();
	}
}
