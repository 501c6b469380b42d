package org.alliancefhir.server;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import java.util.Date;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Holds every Bulk Data export with {@code _since} to the spec: only resources whose {@code lastUpdated} is at or
 * after it. HAPI 8.8.0 applies {@code _since} at system level only: a Patient-level export ignores it, and a
 * Group-level one adds, whatever their age, the resources its matches refer to (a score's response, a comparison's
 * earlier score). Registered on the JPA interceptor service, where the export job asks about each resource.
 *
 * @see <a href="https://hl7.org/fhir/uv/bulkdata/export.html#query-parameters">Bulk Data {@code _since}</a>
 */
@Interceptor
public class BulkExportSinceFilter {

	@Hook(Pointcut.STORAGE_BULK_EXPORT_RESOURCE_INCLUSION)
	public boolean changedSince(BulkExportJobParameters export, IBaseResource resource) {
		Date since = export.getSince();
		if (since == null) {
			return true;
		}
		Date lastUpdated = resource.getMeta().getLastUpdated();
		return lastUpdated == null || !lastUpdated.before(since);
	}
}
