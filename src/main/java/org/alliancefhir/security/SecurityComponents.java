package org.alliancefhir.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import java.util.ArrayList;
import java.util.List;
import org.alliancefhir.outbox.AuditOutbox;
import org.alliancefhir.storage.ReferenceTargets;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Assembles the security feature once, so the server wiring only registers its parts: the REST-layer interceptors
 * (authentication, authorization with its checks of conditional requests and deletes, the audit trail's visibility and
 * write guard, read audit, CapabilityStatement security), the storage interceptors (write audit, deletes despite audit
 * references) and the SMART configuration document.
 */
public final class SecurityComponents {

	private final SecurityProperties properties;
	private final List<Object> restInterceptors = new ArrayList<>();
	private final List<Object> storageInterceptors;

	/**
	 * @param publicBaseUrl the server's public FHIR base URL, the audience when none is configured
	 * @param cors whether browser apps may call the server (for the CapabilityStatement)
	 */
	public SecurityComponents(
			SecurityProperties properties,
			String publicBaseUrl,
			boolean cors,
			FhirContext fhirContext,
			DaoRegistry daoRegistry,
			PlatformTransactionManager transactionManager,
			AuditOutbox auditOutbox,
			ReferenceTargets referenceTargets) {
		this.properties = properties;
		if (properties.enabled()) {
			AccessTokenValidator validator = new AccessTokenValidator(
					properties.issuer(),
					audience(properties, publicBaseUrl),
					AccessTokenValidator.keys(required(properties.jwksUri(), "alliance.security.jwks-uri")));
			restInterceptors.add(new BearerTokenInterceptor(validator));
			// REST layer only: the server's own writes run as SystemRequestDetails, whose broadcaster reaches the JPA
			// interceptor service alone, so scores are derived even for a client that may only write responses
			SmartAuthorizationInterceptor authorization =
					new SmartAuthorizationInterceptor(new ScopeRules(fhirContext));
			restInterceptors.add(authorization);
			restInterceptors.add(new ConditionalRequestGuard(new MatchUrlRules(fhirContext), fhirContext));
			restInterceptors.add(new DeleteScopeCheck(authorization, daoRegistry, fhirContext));
			restInterceptors.add(new AuditTrailVisibilityInterceptor());
		}
		restInterceptors.add(new AuditTrailWriteGuard(fhirContext));
		AuditEventWriter audit = new AuditEventWriter(daoRegistry, transactionManager, auditOutbox, referenceTargets);
		restInterceptors.add(new AuditReadInterceptor(audit, fhirContext));
		restInterceptors.add(new CapabilitySecurityInterceptor(properties, cors));
		storageInterceptors =
				List.of(new AuditWriteInterceptor(audit, fhirContext), new AuditReferenceDeleteInterceptor());
	}

	/** For the RestfulServer, in this order. */
	public List<Object> restInterceptors() {
		return List.copyOf(restInterceptors);
	}

	/** For the JPA interceptor service, which also sees the server's own writes. */
	public List<Object> storageInterceptors() {
		return storageInterceptors;
	}

	public SmartConfigurationServlet smartConfiguration() {
		return new SmartConfigurationServlet(properties);
	}

	private static String audience(SecurityProperties properties, String publicBaseUrl) {
		if (!properties.audience().isBlank()) {
			return properties.audience();
		}
		return required(publicBaseUrl, "alliance.security.audience (or alliance.server-address, the public base URL)");
	}

	private static String required(String value, String property) {
		if (value == null || value.isBlank()) {
			throw new IllegalStateException(property + " must be set when alliance.security.issuer is");
		}
		return value;
	}
}
