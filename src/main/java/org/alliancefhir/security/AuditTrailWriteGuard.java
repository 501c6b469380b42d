package org.alliancefhir.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.util.BundleUtil;
import ca.uhn.fhir.util.bundle.BundleEntryParts;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseBundle;

/**
 * Refuses every client write of an AuditEvent (create, update, patch, delete, tags; alone or in a transaction or
 * batch) made without a token, that is in development mode, where no scope rules apply, with HTTP 403: only the
 * server writes the audit trail (the scope rules refuse it to every token).
 */
@Interceptor
public class AuditTrailWriteGuard {

	static final String MESSAGE = "The audit trail is written by the server only";

	private static final Set<RestOperationTypeEnum> WRITES = Set.of(
			RestOperationTypeEnum.CREATE,
			RestOperationTypeEnum.UPDATE,
			RestOperationTypeEnum.PATCH,
			RestOperationTypeEnum.DELETE,
			RestOperationTypeEnum.META_ADD,
			RestOperationTypeEnum.META_DELETE);

	private final FhirContext fhirContext;

	AuditTrailWriteGuard(FhirContext fhirContext) {
		this.fhirContext = fhirContext;
	}

	@Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = -60)
	public void refuseAuditEventWrites(RequestDetails request, RestOperationTypeEnum operation) {
		if (AccessToken.of(request).isPresent()) {
			// with a token the scope rules refuse it, with an insufficient_scope challenge
			return;
		}
		if (WRITES.contains(operation) && ScopeRules.AUDIT_EVENT.equals(request.getResourceName())) {
			throw new ForbiddenOperationException(MESSAGE);
		}
		if ((operation == RestOperationTypeEnum.TRANSACTION || operation == RestOperationTypeEnum.BATCH)
				&& request.getResource() instanceof IBaseBundle bundle
				&& BundleUtil.toListOfEntries(fhirContext, bundle).stream().anyMatch(this::writesAnAuditEvent)) {
			throw new ForbiddenOperationException(MESSAGE);
		}
	}

	private boolean writesAnAuditEvent(BundleEntryParts entry) {
		if (entry.getRequestType() == RequestTypeEnum.GET) {
			return false;
		}
		boolean byResource = entry.getResource() != null
				&& ScopeRules.AUDIT_EVENT.equals(fhirContext.getResourceType(entry.getResource()));
		String url = entry.getUrl() == null ? "" : entry.getUrl();
		return byResource
				|| url.equals(ScopeRules.AUDIT_EVENT)
				|| url.startsWith(ScopeRules.AUDIT_EVENT + "/")
				|| url.startsWith(ScopeRules.AUDIT_EVENT + "?");
	}
}
