package org.alliancefhir.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.model.DeleteConflictList;
import ca.uhn.fhir.jpa.delete.DeleteConflictOutcome;

/**
 * Lets a resource be deleted although AuditEvents refer to it, since the audit trail must outlive what it describes
 * without making data undeletable; references from any other resource still refuse the delete.
 */
@Interceptor
public class AuditReferenceDeleteInterceptor {

	@Hook(Pointcut.STORAGE_PRESTORAGE_DELETE_CONFLICTS)
	public DeleteConflictOutcome ignoreAuditEventReferences(DeleteConflictList conflicts) {
		boolean removed =
				conflicts.removeIf(c -> "AuditEvent".equals(c.getSourceId().getResourceType()));
		// HAPI looked for one conflict only; once more, up to its maximum count, so others are not missed
		return removed ? new DeleteConflictOutcome().setShouldRetryCount(1) : null;
	}
}
