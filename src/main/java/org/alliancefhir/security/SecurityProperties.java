package org.alliancefhir.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How clients are authenticated, under {@code alliance.security}; without an issuer the server runs in development
 * mode, unauthenticated and on loopback only.
 *
 * @param issuer the authorization server's issuer ({@code iss} of every token), or empty for development mode
 * @param audience the {@code aud} every token must carry; empty means the public base URL
 *     ({@code alliance.server-address})
 * @param jwksUri where the issuer's signing keys are: an {@code https:} (or {@code http:}) URL or a {@code file:} path
 * @param authorizationEndpoint the authorization server's authorize URL, published for SMART clients
 * @param tokenEndpoint the authorization server's token URL, published for SMART clients
 * @param allowUnauthenticatedNetwork development mode on a non-loopback address, at the operator's own risk
 * @param smartCapabilities SMART capabilities of the EHR and its authorization server published besides this
 *     server's own (e.g. {@code launch-ehr}, {@code context-ehr-patient}), which this server cannot find out itself
 */
@ConfigurationProperties("alliance.security")
public record SecurityProperties(
		@DefaultValue("") String issuer,
		@DefaultValue("") String audience,
		@DefaultValue("") String jwksUri,
		@DefaultValue("") String authorizationEndpoint,
		@DefaultValue("") String tokenEndpoint,
		@DefaultValue("false") boolean allowUnauthenticatedNetwork,
		@DefaultValue List<String> smartCapabilities) {

	/** Whether tokens are required: an issuer is configured. */
	public boolean enabled() {
		return !issuer.isBlank();
	}
}
