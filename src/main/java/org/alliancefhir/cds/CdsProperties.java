package org.alliancefhir.cds;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the CDS Hooks services, under {@code alliance.cds}.
 *
 * @param appPath path of the clinician app (SMART launch URL) below the server's root, linked from every card;
 *     empty: cards carry no link
 * @param trustedFhirServers FHIR base URLs other than this server's that a request's {@code fhirServer} may name;
 *     the service sends the request's access token there, so only list servers you trust with it
 * @param trustedClients CDS clients (EHRs) whose signed JWTs are accepted, each {@code <issuer>=<JWK set URL>}
 *     ({@code https:}, {@code http:} or {@code file:}); empty: no CDS client JWTs are verified
 * @param maxClientTokens how many client JWT ids ({@code jti}) are remembered at once against replay
 */
@ConfigurationProperties("alliance.cds")
record CdsProperties(
		@DefaultValue("/app/") String appPath,
		@DefaultValue List<String> trustedFhirServers,
		@DefaultValue List<String> trustedClients,
		@DefaultValue("100000") int maxClientTokens) {}
