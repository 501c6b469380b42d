package org.alliancefhir.storage;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;

/**
 * Marks the server's own writes of derived resources: they run as system requests (not judged by the caller's
 * permissions) and carry a flag by which other interceptors recognise them. Partitioning is not enabled in this
 * server, so the system request writes to the same (default) partition as the response.
 */
public final class DerivedWrites {

	private static final String FLAG = DerivedWrites.class.getName();

	private DerivedWrites() {}

	public static RequestDetails request() {
		SystemRequestDetails request = new SystemRequestDetails();
		request.getUserData().put(FLAG, Boolean.TRUE);
		return request;
	}

	public static boolean isDerivedWrite(RequestDetails request) {
		return request != null && Boolean.TRUE.equals(request.getUserData().get(FLAG));
	}
}
