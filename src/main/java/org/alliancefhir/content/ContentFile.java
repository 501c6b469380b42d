package org.alliancefhir.content;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.MetadataResource;

/**
 * One resource of the content folder together with the file it came from, so every message can name the file.
 *
 * @param fileName the file name, e.g. {@code Questionnaire-srs.json}
 * @param resource the parsed resource
 */
public record ContentFile(String fileName, IBaseResource resource) {

	String resourceType() {
		return resource.fhirType();
	}

	String id() {
		return resource.getIdElement().getIdPart();
	}

	/** The {@code url|version} of a canonical resource, or {@code null} for other resources. */
	String canonical() {
		return resource instanceof MetadataResource metadata ? metadata.getUrl() + "|" + metadata.getVersion() : null;
	}
}
