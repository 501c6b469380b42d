package org.alliancefhir.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestSecurityComponent;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.UriType;

/**
 * Describes the server's security in the CapabilityStatement ({@code rest.security}): CORS, the SMART-on-FHIR
 * service and the authorization server's endpoints (the {@code oauth-uris} extension), or development mode.
 *
 * @see <a href="https://hl7.org/fhir/smart-app-launch/conformance.html#using-capabilitystatement">SMART in the
 *     CapabilityStatement</a>
 */
@Interceptor
public class CapabilitySecurityInterceptor {

	static final String SECURITY_SERVICE_SYSTEM = "http://terminology.hl7.org/CodeSystem/restful-security-service";
	static final String OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";

	private final SecurityProperties properties;
	private final boolean cors;

	CapabilitySecurityInterceptor(SecurityProperties properties, boolean cors) {
		this.properties = properties;
		this.cors = cors;
	}

	@Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
	public void describeSecurity(IBaseConformance capabilityStatement) {
		CapabilityStatement capabilities = (CapabilityStatement) capabilityStatement;
		CapabilityStatementRestSecurityComponent security =
				capabilities.getRestFirstRep().getSecurity().setCors(cors);
		security.getService().clear();
		security.getExtension().removeIf(e -> OAUTH_URIS.equals(e.getUrl()));
		if (!properties.enabled()) {
			security.setDescription("Development mode: no authentication");
			return;
		}
		security.addService()
				.addCoding()
				.setSystem(SECURITY_SERVICE_SYSTEM)
				.setCode("SMART-on-FHIR")
				.setDisplay("SMART-on-FHIR");
		security.setDescription("OAuth 2.0 bearer tokens (RS256 or ES256 JWTs) with SMART on FHIR scopes, v1 and v2");
		Extension uris = security.addExtension().setUrl(OAUTH_URIS);
		if (!properties.authorizationEndpoint().isBlank()) {
			uris.addExtension("authorize", new UriType(properties.authorizationEndpoint()));
		}
		if (!properties.tokenEndpoint().isBlank()) {
			uris.addExtension("token", new UriType(properties.tokenEndpoint()));
		}
	}
}
