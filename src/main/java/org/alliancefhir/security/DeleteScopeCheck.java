package org.alliancefhir.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import ca.uhn.fhir.util.BundleUtil;
import ca.uhn.fhir.util.bundle.BundleEntryParts;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.IdType;

/**
 * Judges every delete by id, single or in a transaction or batch, against the token's scopes with the stored resource
 * before storage starts: HAPI's AuthorizationInterceptor judges a delete only once storage has loaded the resource,
 * after the JPA interceptors that cascade a deleted response to its scores and refuse deleting derived data have run,
 * so a foreign delete answered 409 (naming the other patient's Observation and Task) or 422 instead of 403.
 */
@Interceptor
public class DeleteScopeCheck {

	private final SmartAuthorizationInterceptor authorization;
	private final DaoRegistry daoRegistry;
	private final FhirContext fhirContext;

	DeleteScopeCheck(SmartAuthorizationInterceptor authorization, DaoRegistry daoRegistry, FhirContext fhirContext) {
		this.authorization = authorization;
		this.daoRegistry = daoRegistry;
		this.fhirContext = fhirContext;
	}

	@Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = -40)
	public void refuseForeignDeletes(RequestDetails request, RestOperationTypeEnum operation) {
		if (AccessToken.of(request).isEmpty()) {
			return;
		}
		if (operation == RestOperationTypeEnum.DELETE
				&& request.getId() != null
				&& request.getId().hasIdPart()) {
			check(request, request.getId().withResourceType(request.getResourceName()));
		} else if ((operation == RestOperationTypeEnum.TRANSACTION || operation == RestOperationTypeEnum.BATCH)
				&& request.getResource() instanceof IBaseBundle bundle) {
			for (BundleEntryParts entry : BundleUtil.toListOfEntries(fhirContext, bundle)) {
				if (entry.getRequestType() == RequestTypeEnum.DELETE
						&& entry.getUrl() != null
						&& !entry.getUrl().contains("?")) {
					check(request, new IdType(entry.getUrl()));
				}
			}
		}
	}

	private void check(RequestDetails request, IIdType id) {
		if (!id.hasResourceType() || !id.hasIdPart() || !daoRegistry.isResourceTypeSupported(id.getResourceType())) {
			return;
		}
		IBaseResource stored;
		try {
			stored = daoRegistry
					.getResourceDao(id.getResourceType())
					.read(id.toVersionless(), new SystemRequestDetails());
		} catch (ResourceNotFoundException | ResourceGoneException e) {
			return;
		}
		PolicyEnum decision = authorization
				.applyRulesAndReturnDecision(
						RestOperationTypeEnum.DELETE,
						request,
						stored,
						id.toUnqualifiedVersionless(),
						null,
						Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
				.getDecision();
		if (decision != PolicyEnum.ALLOW) {
			throw SmartAuthorizationInterceptor.insufficientScope(
					"the access token's scopes do not allow this " + id.getResourceType() + " delete");
		}
	}
}
