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
 */
@ConfigurationProperties("alliance.cds")
record CdsProperties(@DefaultValue("/app/") String appPath, @DefaultValue List<String> trustedFhirServers) {}
