package org.alliancefhir.content;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Tells a cache of stored content to forget when a resource of its type is created, updated or deleted: at once,
 * and again once the write is committed, so no reader can keep a version that was replaced meanwhile.
 */
@Interceptor
public class StoredContentChangeInterceptor {

	private final String resourceType;
	private final Runnable forget;

	public StoredContentChangeInterceptor(String resourceType, Runnable forget) {
		this.resourceType = resourceType;
		this.forget = forget;
	}

	@Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
	public void forgetOnCreate(IBaseResource resource) {
		forgetIfWatched(resource);
	}

	@Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
	public void forgetOnUpdate(IBaseResource oldResource, IBaseResource newResource) {
		forgetIfWatched(newResource);
	}

	@Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
	public void forgetOnDelete(IBaseResource resource) {
		forgetIfWatched(resource);
	}

	private void forgetIfWatched(IBaseResource resource) {
		if (!resourceType.equals(resource.fhirType())) {
			return;
		}
		forget.run();
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCompletion(int status) {
					forget.run();
				}
			});
		}
	}
}
