package org.alliancefhir.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Leaves AuditEvents out of every response to a token that may not read the audit trail ({@link
 * ScopeRules#mayReadAuditTrail}), so {@code _revinclude=*} or {@code _include} cannot bring in events that name other
 * patients and staff; direct reads and searches of AuditEvents are refused by the scope rules. Runs before the
 * authorization interceptor's own check of what is shown.
 */
@Interceptor
public class AuditTrailVisibilityInterceptor {

	@Hook(value = Pointcut.STORAGE_PRESHOW_RESOURCES, order = -20)
	public void hideAuditEvents(IPreResourceShowDetails details, RequestDetails request) {
		if (AccessToken.of(request).map(ScopeRules::mayReadAuditTrail).orElse(true)) {
			return;
		}
		for (int i = 0; i < details.size(); i++) {
			IBaseResource resource = details.getResource(i);
			if (resource != null && ScopeRules.AUDIT_EVENT.equals(resource.fhirType())) {
				details.setResource(i, null);
			}
		}
	}
}
