package org.alliancefhir.cds;

import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.alliancefhir.security.JwkSets;

/**
 * Verifies the JWT a CDS client (an EHR) signs for each service call: a configured trusted issuer, a signature by a
 * key of that issuer's JWK set ({@code kid} required; a {@code jku} only when it is that set's configured URL),
 * {@code aud} the called service's URL, {@code exp} and {@code iat} with 60 s skew and at most an hour ahead, and a
 * {@code jti} not seen before while the token is valid.
 *
 * @see <a href="https://cds-hooks.hl7.org/2.0/#trusting-cds-clients">CDS Hooks 2.0, Trusting CDS Clients</a>
 */
final class TrustedCdsClients {

	static final String SETTING = "alliance.cds.trusted-clients";

	private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(
			JWSAlgorithm.ES384,
			JWSAlgorithm.RS384,
			JWSAlgorithm.ES256,
			JWSAlgorithm.RS256,
			JWSAlgorithm.ES512,
			JWSAlgorithm.RS512);
	private static final int CLOCK_SKEW_SECONDS = 60;
	private static final Duration LONGEST_VALIDITY = Duration.ofHours(1);
	private static final int MAX_REASON_LENGTH = 200;

	/** The client's identity once its JWT is verified. */
	record CdsClient(String issuer, String subject) {}

	private record TrustedClient(String jwksUri, JWKSource<SecurityContext> keys) {}

	private final Map<String, TrustedClient> clients = new LinkedHashMap<>();
	private final UsedTokenIds usedTokenIds;
	private final Clock clock;

	/** @param entries {@code <issuer>=<JWK set URL or file: path>}, one per trusted client */
	TrustedCdsClients(List<String> entries, UsedTokenIds usedTokenIds, Clock clock) {
		for (String entry : entries) {
			int separator = entry.indexOf('=');
			if (separator <= 0 || separator == entry.length() - 1) {
				throw new IllegalStateException(
						SETTING + " entries are <issuer>=<JWK set URL or file: path>, not: " + entry);
			}
			String issuer = entry.substring(0, separator).trim();
			String jwksUri = entry.substring(separator + 1).trim();
			clients.put(issuer, new TrustedClient(jwksUri, JwkSets.at(jwksUri, SETTING)));
		}
		this.usedTokenIds = usedTokenIds;
		this.clock = clock;
	}

	boolean configured() {
		return !clients.isEmpty();
	}

	/** The unverified {@code iss} of a JWT, to tell a CDS client's token from an access token; empty if none. */
	static Optional<String> issuerOf(String token) {
		try {
			return Optional.ofNullable(SignedJWT.parse(token).getJWTClaimsSet().getIssuer());
		} catch (ParseException e) {
			return Optional.empty();
		}
	}

	/**
	 * @param audiences the URLs under which the called service is reached, one of which {@code aud} must name
	 * @throws AuthenticationException (401) naming what is wrong with the token
	 */
	CdsClient verify(String token, Set<String> audiences) {
		SignedJWT jwt;
		JWTClaimsSet unverified;
		try {
			jwt = SignedJWT.parse(token);
			unverified = jwt.getJWTClaimsSet();
		} catch (ParseException e) {
			throw refused("is not a signed JWT");
		}
		TrustedClient client = unverified.getIssuer() == null ? null : clients.get(unverified.getIssuer());
		if (client == null) {
			throw refused("names an issuer (iss) that is not a trusted CDS client: "
					+ printable(String.valueOf(unverified.getIssuer())));
		}
		JWSHeader header = jwt.getHeader();
		if (header.getKeyID() == null) {
			throw refused("has no key id (kid) in its header");
		}
		if (header.getJWKURL() != null && !header.getJWKURL().toString().equals(client.jwksUri())) {
			throw refused("names a JWK set (jku) other than the one configured for its issuer");
		}
		JWTClaimsSet claims;
		try {
			claims = processor(unverified.getIssuer(), client, audiences).process(jwt, null);
		} catch (BadJOSEException | JOSEException e) {
			throw refused("was rejected: " + printable(e.getMessage()));
		}
		Instant latest = clock.instant().plusSeconds(CLOCK_SKEW_SECONDS);
		if (claims.getIssueTime().toInstant().isAfter(latest)) {
			throw refused("was issued in the future (iat)");
		}
		Instant expires = claims.getExpirationTime().toInstant();
		if (expires.isAfter(latest.plus(LONGEST_VALIDITY))) {
			throw refused("expires more than an hour from now (exp)");
		}
		// kept for the skew too, during which the verifier still accepts the token after its exp
		String id = claims.getIssuer() + " " + claims.getJWTID();
		if (!usedTokenIds.firstUse(id, expires.plusSeconds(CLOCK_SKEW_SECONDS))) {
			throw refused("was used before (jti)");
		}
		return new CdsClient(claims.getIssuer(), claims.getSubject());
	}

	private DefaultJWTProcessor<SecurityContext> processor(String issuer, TrustedClient client, Set<String> audiences) {
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null));
		processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, client.keys()));
		DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
				// mutable sets: the verifier asks them whether they contain null
				new HashSet<>(audiences),
				new JWTClaimsSet.Builder().issuer(issuer).build(),
				new HashSet<>(Set.of("exp", "iat", "jti", "sub")),
				null);
		claims.setMaxClockSkew(CLOCK_SKEW_SECONDS);
		processor.setJWTClaimsSetVerifier(claims);
		return processor;
	}

	private static AuthenticationException refused(String reason) {
		return new AuthenticationException("The CDS client's JWT (Authorization: Bearer) " + reason);
	}

	/** Nimbus quotes claim values, which come from the caller: no control characters, and not too much of them. */
	private static String printable(String message) {
		String printable = String.valueOf(message).replaceAll("\\p{Cntrl}", " ");
		return printable.length() <= MAX_REASON_LENGTH ? printable : printable.substring(0, MAX_REASON_LENGTH) + "...";
	}
}
