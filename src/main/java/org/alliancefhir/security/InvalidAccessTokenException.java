package org.alliancefhir.security;

/** A bearer token that is malformed, wrongly signed, expired or meant for someone else. */
class InvalidAccessTokenException extends Exception {

	InvalidAccessTokenException(String message) {
		super(message);
	}
}
