package org.alliancefhir.storage;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.model.ResourceVersionConflictResolutionStrategy;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.server.RequestDetails;

/**
 * Retries a write that lost a race on a shared derived resource: two family members' responses in the same session
 * both update its split-alliance indices, two sessions of one client touch the same comparison. The losing
 * transaction is rolled back and run again (at most a few times), so the client gets its 201 instead of a 409. A
 * client that sent {@code If-Match} asked for exactly that version and still gets its conflict.
 */
@Interceptor
public class VersionConflictRetryInterceptor {

	static final int MAX_RETRIES = 5;

	@Hook(Pointcut.STORAGE_VERSION_CONFLICT)
	public ResourceVersionConflictResolutionStrategy retryUnlessTheClientNamedAVersion(RequestDetails request) {
		ResourceVersionConflictResolutionStrategy strategy = new ResourceVersionConflictResolutionStrategy();
		if (request != null && request.getHeader(Constants.HEADER_IF_MATCH) == null) {
			strategy.setRetry(true);
			strategy.setMaxRetries(MAX_RETRIES);
		}
		return strategy;
	}
}
