package org.alliancefhir.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Signing keys generated for a test run (RSA for RS256, P-256 for ES256), their public JWK set, and access tokens
 * signed with them; also the forgeries a server must refuse: {@code alg: none}, HS256, a foreign key.
 */
final class TestKeys {

	static final String ISSUER = "https://auth.alliancefhir.test/realms/alliance";
	static final String AUDIENCE = "https://fhir.alliancefhir.test/fhir";
	static final String CLIENT_ID = "alliance-test-app";

	final RSAKey rsa;
	final ECKey ec;

	private TestKeys(RSAKey rsa, ECKey ec) {
		this.rsa = rsa;
		this.ec = ec;
	}

	static TestKeys generate() {
		try {
			return new TestKeys(
					new RSAKeyGenerator(2048).keyID("rsa-" + UUID.randomUUID()).generate(),
					new ECKeyGenerator(Curve.P_256)
							.keyID("ec-" + UUID.randomUUID())
							.generate());
		} catch (JOSEException e) {
			throw new IllegalStateException(e);
		}
	}

	/** The public JWK set of these keys and any others, as JSON. */
	String jwks(JWK... more) {
		List<JWK> keys = new java.util.ArrayList<>(List.of(rsa.toPublicJWK(), ec.toPublicJWK()));
		Arrays.stream(more).map(JWK::toPublicJWK).forEach(keys::add);
		return new JWKSet(keys).toString();
	}

	/** Claims of a valid token for the test issuer and audience, five minutes left. */
	static JWTClaimsSet.Builder claims(String subject, String scope) {
		Instant now = Instant.now();
		return new JWTClaimsSet.Builder()
				.issuer(ISSUER)
				.audience(AUDIENCE)
				.subject(subject)
				.claim("client_id", CLIENT_ID)
				.claim("scope", scope)
				.issueTime(Date.from(now))
				.expirationTime(Date.from(now.plusSeconds(300)))
				.jwtID(UUID.randomUUID().toString());
	}

	static JWTClaimsSet patientClaims(String subject, String patient, String scope) {
		return claims(subject, scope).claim("patient", patient).build();
	}

	String rs256(JWTClaimsSet claims) {
		return sign(rsa, JWSAlgorithm.RS256, claims);
	}

	String es256(JWTClaimsSet claims) {
		return sign(ec, JWSAlgorithm.ES256, claims);
	}

	static String sign(JWK key, JWSAlgorithm algorithm, JWTClaimsSet claims) {
		try {
			SignedJWT jwt = new SignedJWT(
					new JWSHeader.Builder(algorithm)
							.keyID(key.getKeyID())
							.type(JOSEObjectType.JWT)
							.build(),
					claims);
			jwt.sign(key instanceof RSAKey r ? new RSASSASigner(r) : new ECDSASigner((ECKey) key));
			return jwt.serialize();
		} catch (JOSEException e) {
			throw new IllegalStateException(e);
		}
	}

	/** An unsigned token ({@code alg: none}). */
	static String unsigned(JWTClaimsSet claims) {
		return new PlainJWT(claims).serialize();
	}

	/** A token MAC-ed with HS256, keyed with the RSA key's public modulus (the classic algorithm confusion). */
	String hs256(JWTClaimsSet claims) {
		try {
			byte[] secret = rsa.getModulus().decode();
			SignedJWT jwt = new SignedJWT(
					new JWSHeader.Builder(JWSAlgorithm.HS256)
							.keyID(rsa.getKeyID())
							.build(),
					claims);
			jwt.sign(new MACSigner(secret));
			return jwt.serialize();
		} catch (JOSEException e) {
			throw new IllegalStateException(e);
		}
	}

	/** A token whose signature is of another key, under this key's id. */
	String forged(JWTClaimsSet claims) {
		String genuine = rs256(claims);
		String foreign = TestKeys.generate().rs256(claims);
		String[] parts = genuine.split("\\.");
		return parts[0] + "." + parts[1] + "." + foreign.split("\\.")[2];
	}

	/** A token with a valid signature whose payload was changed afterwards. */
	String tampered(JWTClaimsSet claims, String scope) {
		String[] parts = rs256(claims).split("\\.");
		String payload =
				new JWTClaimsSet.Builder(claims).claim("scope", scope).build().toString();
		return parts[0] + "." + Base64URL.encode(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
	}
}
