package org.alliancefhir.storage;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.api.svc.IIdHelperService;
import ca.uhn.fhir.jpa.api.svc.ResolveIdentityMode;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import ca.uhn.fhir.util.FhirTerser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * Resolves the targets of the references of many resources about to be created in one database query, into the
 * {@link TransactionDetails} their creates share: HAPI looks a reference's target up there first, so the creates
 * skip the one query (and the flush before it) each of their references would otherwise cost. A target not found
 * (deleted, or not stored) is left to HAPI's own look-up, so it is rejected exactly as before.
 */
public final class ReferenceTargets {

	private final IIdHelperService<?> ids;
	private final FhirTerser terser;

	public ReferenceTargets(IIdHelperService<?> ids, FhirContext fhirContext) {
		this.ids = ids;
		this.terser = fhirContext.newTerser();
	}

	/** Resolves, in the current transaction, what the resources refer to; returns the details to create them with. */
	public TransactionDetails resolved(List<? extends IBaseResource> resources) {
		Map<String, IIdType> targets = new LinkedHashMap<>();
		for (IBaseResource resource : resources) {
			terser.getAllResourceReferences(resource).forEach(ref -> {
				IIdType id = ref.getResourceReference().getReferenceElement();
				if (id.hasResourceType() && id.hasIdPart() && !id.isAbsolute() && !id.isLocal()) {
					targets.putIfAbsent(id.toUnqualifiedVersionless().getValue(), id.toUnqualifiedVersionless());
				}
			});
		}
		TransactionDetails details = new TransactionDetails();
		if (targets.isEmpty()) {
			return details;
		}
		ids.resolveResourceIdentities(
						RequestPartitionId.defaultPartition(),
						targets.values(),
						ResolveIdentityMode.excludeDeleted().noCacheUnlessDeletesDisabled())
				.forEach((id, lookup) ->
						details.addResolvedResourceId(id.toUnqualifiedVersionless(), lookup.getPersistentId()));
		return details;
	}
}
