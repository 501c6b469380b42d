package org.alliancefhir.cds;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;

/**
 * Decides which FHIR REST base a CDS request is read from: this server (no {@code fhirServer}, or this server's own
 * base URL), reached over the connection the request came in on, or a configured trusted server; any other
 * {@code fhirServer} is refused, so the service never sends a token to a server it does not know.
 */
final class FhirServers {

	static final String FHIR_PATH = "/fhir";

	private final List<String> trusted;
	private final String publicBase;

	/** @param publicBase this server's configured public FHIR base URL, or empty */
	FhirServers(List<String> trusted, String publicBase) {
		this.trusted = trusted.stream().map(FhirServers::normalise).toList();
		this.publicBase = normalise(publicBase);
	}

	String baseFor(Optional<String> fhirServer, HttpServletRequest http) {
		if (fhirServer.isEmpty() || isThisServer(normalise(fhirServer.get()), http)) {
			return local(http);
		}
		String named = normalise(fhirServer.get());
		if (trusted.contains(named)) {
			return named;
		}
		throw new InvalidRequestException("fhirServer " + fhirServer.get()
				+ " is neither this server nor one of its trusted FHIR servers (alliance.cds.trusted-fhir-servers)");
	}

	private boolean isThisServer(String fhirServer, HttpServletRequest http) {
		return fhirServer.equals(normalise(root(http) + FHIR_PATH))
				|| (!publicBase.isEmpty() && fhirServer.equals(publicBase));
	}

	/** The server's public root as the caller sees it (scheme, host, port, context path). */
	static String root(HttpServletRequest http) {
		String url = http.getRequestURL().toString();
		return url.substring(0, url.indexOf(CdsServicesController.PATH, url.indexOf("//") + 2));
	}

	/** This server's FHIR endpoint over the local connection, which works behind any proxy. */
	private static String local(HttpServletRequest http) {
		String address = http.getLocalAddr();
		String host = address.contains(":") ? "[" + address + "]" : address;
		return (http.isSecure() ? "https://" : "http://") + host + ":" + http.getLocalPort() + http.getContextPath()
				+ FHIR_PATH;
	}

	private static String normalise(String url) {
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}
}
