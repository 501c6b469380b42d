package org.alliancefhir.content;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
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
		Map<String, List<ContentFile>> filesByType =
				content.stream().collect(Collectors.groupingBy(ContentFile::resourceType));
		Map<String, StoredContent> storedByType = new HashMap<>();
		for (ContentFile file : content) {
			Resource resource = (Resource) file.resource();
			StoredContent stored = storedByType.computeIfAbsent(
					file.resourceType(), type -> StoredContent.load(dao(resource), filesByType.get(type)));
			Optional<Resource> found = stored.find(resource, file.id());
			if (found.isEmpty()) {
				resource.setId(freeId(stored, file.id(), resource));
				write(resource, stored);
				created++;
			} else if (!SameContent.ignoring(found.get(), resource)) {
				resource.setId(found.get().getIdElement().toUnqualifiedVersionless());
				write(resource, stored);
				updated++;
			} else {
				unchanged++;
			}
		}
		return new Report(created, updated, unchanged);
	}

	private void write(Resource resource, StoredContent stored) {
		dao(resource).update(resource, new SystemRequestDetails());
		stored.remember(resource);
	}

	private static String freeId(StoredContent stored, String id, Resource resource) {
		if (!stored.idTaken(id) || !(resource instanceof MetadataResource canonical)) {
			return id;
		}
		return id + "-" + canonical.getVersion();
	}

	@SuppressWarnings("unchecked")
	private IFhirResourceDao<Resource> dao(Resource resource) {
		return (IFhirResourceDao<Resource>) daoRegistry.getResourceDao(resource.fhirType());
	}
}
