package org.alliancefhir.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import jakarta.servlet.http.HttpServletResponse;
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
 * their patients, the stored resource a conditional create returns instead of creating one, and their failed requests
 * on it or in a transaction or batch (403, 404, 422...), from REST-layer pointcuts of the RestfulServer.
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

	/** Server-level writes, which may hold alliance data: their failures are audited too. */
	private static final Set<RestOperationTypeEnum> BUNDLED =
			Set.of(RestOperationTypeEnum.TRANSACTION, RestOperationTypeEnum.BATCH);

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
	public void auditRead(RequestDetails request, ResponseDetails response) {
		Optional<AccessToken> token = AccessToken.of(request);
		RestOperationTypeEnum operation = request.getRestOperationType();
		if (token.isPresent() && operation == RestOperationTypeEnum.CREATE) {
			auditConditionalCreateMatch(token.get(), response);
			return;
		}
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

	/** A conditional create that matched returns the stored resource (HTTP 200, nothing written): a read. */
	private void auditConditionalCreateMatch(AccessToken token, ResponseDetails response) {
		if (response == null
				|| response.getResponseCode() != HttpServletResponse.SC_OK
				|| !AuditEvents.isAudited(response.getResponseResource())) {
			return;
		}
		AuditEvent event =
				AuditEvents.newEvent(AuditEventAction.R, RestOperationTypeEnum.CREATE.getCode(), AuditEventOutcome._0);
		IBaseResource found = response.getResponseResource();
		AuditEvents.addResource(event, found.getIdElement(), false);
		AuditEvents.addPatientsOf(event, found, fhirContext);
		AuditEvents.addAgents(event, token, false);
		writer.write(List.of(event), token);
	}

	@Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
	public boolean auditFailure(RequestDetails request, BaseServerResponseException exception) {
		Optional<AccessToken> token = AccessToken.of(request);
		RestOperationTypeEnum operation = request.getRestOperationType();
		if (token.isEmpty() || operation == null || !(isAuditedType(request) || BUNDLED.contains(operation))) {
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

	/** False for server-level requests ({@code /_history}, a transaction...), which name no type. */
	private static boolean isAuditedType(RequestDetails request) {
		String type = request.getResourceName();
		return type != null && AuditEvents.AUDITED_TYPES.contains(type);
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
