package org.alliancefhir.content;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.param.UriParam;
import java.util.List;
import java.util.Optional;
import org.alliancefhir.storage.SameContent;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Resource;

/**
 * Writes the content into the FHIR store idempotently: an unchanged resource is left alone (no new version), a
 * changed one with the same {@code url|version} is updated in place, and a new version of a canonical resource is
 * stored beside the old one (under the file's id when free, else {@code <id>-<version>}).
 */
class ContentInstaller {

	/** What one installation did. */
	record Report(int created, int updated, int unchanged) {}

	private final DaoRegistry daoRegistry;

	ContentInstaller(DaoRegistry daoRegistry) {
		this.daoRegistry = daoRegistry;
	}

	Report install(List<ContentFile> content) {
		int created = 0;
		int updated = 0;
		int unchanged = 0;
		for (ContentFile file : content) {
			Resource resource = (Resource) file.resource();
			Optional<Resource> stored = resource instanceof MetadataResource canonical
					? findByCanonical(canonical)
					: read(resource.fhirType(), file.id());
			if (stored.isEmpty()) {
				resource.setId(freeId(resource.fhirType(), file.id(), resource));
				dao(resource).update(resource, new SystemRequestDetails());
				created++;
			} else if (!SameContent.ignoring(stored.get(), resource)) {
				resource.setId(stored.get().getIdElement().toUnqualifiedVersionless());
				dao(resource).update(resource, new SystemRequestDetails());
				updated++;
			} else {
				unchanged++;
			}
		}
		return new Report(created, updated, unchanged);
	}

	private Optional<Resource> findByCanonical(MetadataResource resource) {
		SearchParameterMap search = SearchParameterMap.newSynchronous()
				.add("url", new UriParam(resource.getUrl()))
				.add("version", new TokenParam(resource.getVersion()));
		IBundleProvider found = dao(resource).search(search, new SystemRequestDetails());
		return found.getAllResources().stream().map(Resource.class::cast).findFirst();
	}

	/** Searches by id rather than reading, so a missing resource throws nothing into the installation's transaction. */
	private Optional<Resource> read(String type, String id) {
		SearchParameterMap search = SearchParameterMap.newSynchronous().add("_id", new TokenParam(id));
		IBundleProvider found = daoRegistry.getResourceDao(type).search(search, new SystemRequestDetails());
		return found.getAllResources().stream().map(Resource.class::cast).findFirst();
	}

	private String freeId(String type, String id, Resource resource) {
		if (read(type, id).isEmpty() || !(resource instanceof MetadataResource canonical)) {
			return id;
		}
		return id + "-" + canonical.getVersion();
	}

	@SuppressWarnings("unchecked")
	private IFhirResourceDao<Resource> dao(Resource resource) {
		return (IFhirResourceDao<Resource>) daoRegistry.getResourceDao(resource.fhirType());
	}
}
