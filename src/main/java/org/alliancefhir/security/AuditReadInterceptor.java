package org.alliancefhir.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.alliancefhir.security.SmartScope.Permission;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;

/**
 * Audits what token holders read ({@code R}) or search ({@code E}) of alliance data, with the resources returned and
 * their patients, and their failed requests on it (403, 404, 422...), from REST-layer pointcuts of the RestfulServer.
 */
@Interceptor
public class AuditReadInterceptor {

	private static final String SHOWN = AuditReadInterceptor.class.getName() + ".shown";
	private static final Set<RestOperationTypeEnum> READS = Set.of(
			RestOperationTypeEnum.READ,
			RestOperationTypeEnum.VREAD,
			RestOperationTypeEnum.HISTORY_INSTANCE,
			RestOperationTypeEnum.HISTORY_TYPE,
			RestOperationTypeEnum.SEARCH_TYPE,
			RestOperationTypeEnum.SEARCH_SYSTEM,
			RestOperationTypeEnum.GET_PAGE);

	private final AuditEventWriter writer;
	private final FhirContext fhirContext;

	AuditReadInterceptor(AuditEventWriter writer, FhirContext fhirContext) {
		this.writer = writer;
		this.fhirContext = fhirContext;
	}

	@Hook(Pointcut.STORAGE_PRESHOW_RESOURCES)
	public void collectShownResources(IPreResourceShowDetails details, RequestDetails request) {
		if (AccessToken.of(request).isEmpty()) {
			return;
		}
		for (int i = 0; i < details.size(); i++) {
			IBaseResource resource = details.getResource(i);
			if (AuditEvents.isAudited(resource)) {
				shown(request).add(resource);
			}
		}
	}

	@Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
	public void auditRead(RequestDetails request) {
		Optional<AccessToken> token = AccessToken.of(request);
		RestOperationTypeEnum operation = request.getRestOperationType();
		List<IBaseResource> shown = shown(request);
		if (token.isEmpty() || !READS.contains(operation) || (shown.isEmpty() && !isAuditedType(request))) {
			return;
		}
		boolean search = ScopeRules.readPermissionFor(operation) == Permission.SEARCH;
		AuditEvent event = AuditEvents.newEvent(
				search ? AuditEventAction.E : AuditEventAction.R, interaction(operation), AuditEventOutcome._0);
		for (IBaseResource resource : shown) {
			AuditEvents.addResource(event, resource.getIdElement(), false);
		}
		shown.forEach(resource -> AuditEvents.addPatientsOf(event, resource, fhirContext));
		if (search) {
			AuditEvents.addQuery(event, request.getCompleteUrl());
		}
		AuditEvents.addAgents(event, token.get(), false);
		writer.write(List.of(event), token.get());
	}

	@Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
	public boolean auditFailure(RequestDetails request, BaseServerResponseException exception) {
		Optional<AccessToken> token = AccessToken.of(request);
		RestOperationTypeEnum operation = request.getRestOperationType();
		if (token.isEmpty() || operation == null || !isAuditedType(request)) {
			return true;
		}
		AuditEvent event = AuditEvents.newEvent(
				action(operation),
				interaction(operation),
				exception.getStatusCode() >= 500 ? AuditEventOutcome._8 : AuditEventOutcome._4);
		if (request.getId() != null && request.getId().hasIdPart()) {
			AuditEvents.addResource(event, request.getId().withResourceType(request.getResourceName()), true);
		} else {
			AuditEvents.addQuery(event, request.getCompleteUrl());
		}
		AuditEvents.addAgents(event, token.get(), false);
		writer.write(List.of(event), token.get());
		return true;
	}

	private static boolean isAuditedType(RequestDetails request) {
		// server-level operations ($export) have no resource name; Set.of(...).contains(null) throws
		return request.getResourceName() != null && AuditEvents.AUDITED_TYPES.contains(request.getResourceName());
	}

	@SuppressWarnings("unchecked")
	private static List<IBaseResource> shown(RequestDetails request) {
		return (List<IBaseResource>) request.getUserData().computeIfAbsent(SHOWN, key -> new ArrayList<>());
	}

	private static String interaction(RestOperationTypeEnum operation) {
		return operation == RestOperationTypeEnum.GET_PAGE
				? RestOperationTypeEnum.SEARCH_TYPE.getCode()
				: operation.getCode();
	}

	private static AuditEventAction action(RestOperationTypeEnum operation) {
		return switch (operation) {
			case CREATE -> AuditEventAction.C;
			case UPDATE, PATCH -> AuditEventAction.U;
			case DELETE -> AuditEventAction.D;
			case READ, VREAD, HISTORY_INSTANCE -> AuditEventAction.R;
			default -> AuditEventAction.E;
		};
	}
}
