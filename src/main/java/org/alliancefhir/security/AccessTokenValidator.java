package org.alliancefhir.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates OAuth 2.0 bearer JWTs (RS256 or ES256 only, a key of the issuer's cached JWK set, refetched for an unknown
 * key id at most twice in 30 s, the configured issuer and audience, {@code exp} and {@code nbf} with 60 s skew).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9068">RFC 9068, JWT access tokens</a>
 */
class AccessTokenValidator {

	private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
	private static final int CLOCK_SKEW_SECONDS = 60;
	private static final int MAX_REASON_LENGTH = 200;

	private final String issuer;
	private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

	AccessTokenValidator(String issuer, String audience, JWKSource<SecurityContext> keys) {
		this.issuer = issuer;
		processor.setJWSTypeVerifier(
				new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
		processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
		DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
				// mutable sets: the verifier asks them whether they contain null
				new HashSet<>(Set.of(audience)),
				new JWTClaimsSet.Builder().issuer(issuer).build(),
				new HashSet<>(Set.of("exp")),
				null);
		claims.setMaxClockSkew(CLOCK_SKEW_SECONDS);
		processor.setJWTClaimsSetVerifier(claims);
	}

	/** The issuer's keys at an {@code http(s):} URL or in a {@code file:} (see {@link JwkSets}). */
	static JWKSource<SecurityContext> keys(String jwksUri) {
		return JwkSets.at(jwksUri, "alliance.security.jwks-uri");
	}

	AccessToken validate(String token) throws InvalidAccessTokenException {
		JWTClaimsSet claims;
		try {
			claims = processor.process(token, null);
		} catch (ParseException e) {
			throw new InvalidAccessTokenException("The access token is not a well-formed JWT");
		} catch (BadJOSEException | JOSEException e) {
			throw new InvalidAccessTokenException("The access token was rejected: " + printable(e.getMessage()));
		}
		try {
			String subject = claims.getSubject();
			String clientId = claims.getStringClaim("client_id") != null
					? claims.getStringClaim("client_id")
					: claims.getStringClaim("azp");
			if (subject == null && clientId == null) {
				throw new InvalidAccessTokenException("The access token names neither a subject nor a client");
			}
			return new AccessToken(issuer, subject, clientId, patient(claims), scopes(claims));
		} catch (ParseException e) {
			throw new InvalidAccessTokenException("The access token has a claim of the wrong type");
		}
	}

	/** The {@code scope} claim (RFC 9068, a string) or {@code scp} (a list, as some servers issue it). */
	private static List<SmartScope> scopes(JWTClaimsSet claims) {
		Object scope = claims.getClaim("scope") != null ? claims.getClaim("scope") : claims.getClaim("scp");
		if (scope instanceof List<?> list) {
			return SmartScope.parseAll(
					String.join(" ", list.stream().map(String::valueOf).toList()));
		}
		return scope instanceof String string ? SmartScope.parseAll(string) : List.of();
	}

	/** The {@code patient} claim as a bare id, accepting {@code Patient/<id>} too. */
	private static String patient(JWTClaimsSet claims) throws ParseException {
		String patient = claims.getStringClaim("patient");
		if (patient == null || patient.isBlank()) {
			return null;
		}
		return patient.startsWith("Patient/") ? patient.substring("Patient/".length()) : patient;
	}

	/** Nimbus quotes claim values, which come from the caller: no control characters, and not too much of them. */
	private static String printable(String message) {
		String printable = String.valueOf(message).replaceAll("\\p{Cntrl}", " ");
		return printable.length() <= MAX_REASON_LENGTH ? printable : printable.substring(0, MAX_REASON_LENGTH) + "...";
	}
}
