package org.alliancefhir.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.alliancefhir.storage.DerivedWrites;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;

/**
 * Audits every create, update and delete of alliance data (responses, scores, flags, tasks), the server's derived
 * score writes included, from the pre-commit pointcuts of the JPA interceptor service, which sees system writes too.
 */
@Interceptor
public class AuditWriteInterceptor {

	private final AuditEventWriter writer;
	private final FhirContext fhirContext;

	AuditWriteInterceptor(AuditEventWriter writer, FhirContext fhirContext) {
		this.writer = writer;
		this.fhirContext = fhirContext;
	}

	@Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
	public void auditCreate(IBaseResource resource, RequestDetails request) {
		audit(resource, request, AuditEventAction.C, "create");
	}

	@Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
	public void auditUpdate(IBaseResource oldResource, IBaseResource newResource, RequestDetails request) {
		audit(newResource, request, AuditEventAction.U, "update");
	}

	@Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
	public void auditDelete(IBaseResource resource, RequestDetails request) {
		audit(resource, request, AuditEventAction.D, "delete");
	}

	private void audit(IBaseResource resource, RequestDetails request, AuditEventAction action, String interaction) {
		if (!AuditEvents.isAudited(resource)) {
			// AuditEvents (and Devices) are not alliance data: storing them is not audited in turn
			return;
		}
		AuditEvent event = AuditEvents.newEvent(action, interaction, AuditEventOutcome._0);
		AuditEvents.addResource(event, resource.getIdElement(), action == AuditEventAction.D);
		AuditEvents.addPatientsOf(event, resource, fhirContext);
		PendingAudit.add(
				writer,
				event,
				DerivedWrites.isDerivedWrite(request),
				AccessToken.of(request).orElse(null));
	}
}
