package org.alliancefhir.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.List;
import java.util.Optional;

/**
 * What a validated bearer token says about its caller (subject, client, patient in context, SMART scopes), kept in
 * the request's user data for the authorization and audit interceptors.
 *
 * @param issuer the {@code iss} that issued the token
 * @param subject the {@code sub} claim, or {@code null}
 * @param clientId the {@code client_id} (or {@code azp}) claim, or {@code null}
 * @param patient the id of the {@code patient} launch context, or {@code null}
 * @param scopes the resource scopes granted
 */
record AccessToken(String issuer, String subject, String clientId, String patient, List<SmartScope> scopes) {

	private static final String USER_DATA_KEY = AccessToken.class.getName();

	static Optional<AccessToken> of(RequestDetails request) {
		return request == null
				? Optional.empty()
				: Optional.ofNullable((AccessToken) request.getUserData().get(USER_DATA_KEY));
	}

	void attachTo(RequestDetails request) {
		request.getUserData().put(USER_DATA_KEY, this);
	}

	/** The subject, or for client-credentials tokens without one, the client. */
	String principal() {
		return subject != null ? subject : clientId;
	}
}
