package org.alliancefhir.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.alliancefhir.security.SmartScope.Context;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessTokenValidatorTests {

	private static final TestKeys KEYS = TestKeys.generate();

	@TempDir
	Path directory;

	private Path jwksFile;
	private AccessTokenValidator validator;

	@BeforeEach
	void jwkSetInAFile() throws IOException {
		jwksFile = directory.resolve("jwks.json");
		Files.writeString(jwksFile, KEYS.jwks());
		validator = new AccessTokenValidator(
				TestKeys.ISSUER,
				TestKeys.AUDIENCE,
				AccessTokenValidator.keys(jwksFile.toUri().toString()));
	}

	@Test
	void acceptsAnRs256TokenAndReadsWhoItIsForAndWhatItMayDo() throws Exception {
		AccessToken token = validator.validate(KEYS.rs256(TestKeys.patientClaims(
				"parent-1", "Patient/child-1", "launch/patient patient/QuestionnaireResponse.c patient/*.rs")));

		assertThat(token.issuer()).isEqualTo(TestKeys.ISSUER);
		assertThat(token.subject()).isEqualTo("parent-1");
		assertThat(token.clientId()).isEqualTo(TestKeys.CLIENT_ID);
		assertThat(token.patient()).isEqualTo("child-1");
		assertThat(token.scopes())
				.extracting(SmartScope::context)
				.containsOnly(Context.PATIENT)
				.hasSize(2);
	}

	@Test
	void acceptsAnEs256Token() throws Exception {
		assertThat(validator.validate(KEYS.es256(valid().build())).principal()).isEqualTo("user-1");
	}

	@Test
	void acceptsScopesGivenAsAnScpList() throws Exception {
		JWTClaimsSet claims = valid().claim("scope", null)
				.claim("scp", List.of("user/*.rs", "openid"))
				.build();

		assertThat(validator.validate(KEYS.rs256(claims)).scopes()).hasSize(1);
	}

	@Test
	void acceptsAClientCredentialsTokenWithoutSubject() throws Exception {
		AccessToken token = validator.validate(KEYS.rs256(valid().subject(null).build()));

		assertThat(token.principal()).isEqualTo(TestKeys.CLIENT_ID);
	}

	@Test
	void toleratesAClockSkewOfAMinute() throws Exception {
		assertThat(validator.validate(
						KEYS.rs256(valid().expirationTime(secondsFromNow(-30)).build())))
				.isNotNull();
	}

	@Test
	void rejectsAnExpiredToken() {
		assertRejected(KEYS.rs256(valid().expirationTime(secondsFromNow(-120)).build()), "Expired JWT");
	}

	@Test
	void rejectsATokenBeforeItsNotBeforeTime() {
		assertRejected(KEYS.rs256(valid().notBeforeTime(secondsFromNow(120)).build()), "before use time");
	}

	@Test
	void rejectsAnotherAudience() {
		assertRejected(KEYS.rs256(valid().audience("https://other.example.org").build()), "audience rejected");
	}

	@Test
	void rejectsAnotherIssuer() {
		assertRejected(KEYS.rs256(valid().issuer("https://evil.example.org").build()), "iss claim");
	}

	@Test
	void rejectsASignatureByAnotherKey() {
		assertRejected(KEYS.forged(valid().build()), "Invalid signature");
	}

	@Test
	void rejectsAPayloadChangedAfterSigning() {
		assertRejected(KEYS.tampered(valid().build(), "system/*.*"), "Invalid signature");
	}

	@Test
	void rejectsUnsignedAndSymmetricallySignedTokens() {
		assertRejected(TestKeys.unsigned(valid().build()), "Unsecured");
		assertRejected(KEYS.hs256(valid().build()), "no matching key");
		assertRejected(TestKeys.sign(KEYS.rsa, JWSAlgorithm.RS512, valid().build()), "no matching key");
	}

	@Test
	void rejectsATokenWithoutExpiryOrWithoutSubjectAndClient() {
		assertRejected(KEYS.rs256(valid().expirationTime(null).build()), "exp");
		assertRejected(
				KEYS.rs256(valid().subject(null).claim("client_id", null).build()), "neither a subject nor a client");
	}

	@Test
	void rejectsSomethingThatIsNoJwt() {
		assertRejected("eyJhbGciOiJSUzI1NiJ9.garbage", "not a well-formed JWT");
	}

	@Test
	void picksUpAKeyAddedToTheFileWhenATokenNamesAnUnknownKey() throws Exception {
		validator.validate(KEYS.rs256(valid().build()));
		RSAKey rotated = TestKeys.generate().rsa;
		Files.writeString(jwksFile, KEYS.jwks(rotated));

		assertThat(validator.validate(TestKeys.sign(rotated, JWSAlgorithm.RS256, valid().build())))
				.isNotNull();
	}

	@Test
	void fetchesARotatedJwkSetFromItsUrlOnlyWhenATokenNamesAnUnknownKey() throws Exception {
		AtomicReference<String> served = new AtomicReference<>(KEYS.jwks());
		AtomicInteger fetches = new AtomicInteger();
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext("/jwks", exchange -> {
			fetches.incrementAndGet();
			byte[] body = served.get().getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		server.start();
		try {
			String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks";
			AccessTokenValidator overHttp =
					new AccessTokenValidator(TestKeys.ISSUER, TestKeys.AUDIENCE, AccessTokenValidator.keys(url));

			overHttp.validate(KEYS.rs256(valid().build()));
			overHttp.validate(KEYS.es256(valid().build()));
			assertThat(fetches).hasValue(1);

			RSAKey rotated = TestKeys.generate().rsa;
			served.set(new JWKSet(rotated.toPublicJWK()).toString());
			AccessToken afterRotation = overHttp.validate(TestKeys.sign(rotated, JWSAlgorithm.RS256, valid().build()));

			assertThat(afterRotation.principal()).isEqualTo("user-1");
			assertThat(fetches).hasValue(2);
		} finally {
			server.stop(0);
		}
	}

	@Test
	void refusesAJwksLocationThatIsNeitherHttpNorAFile() {
		assertThatThrownBy(() -> AccessTokenValidator.keys("ftp://keys.example.org/jwks.json"))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("alliance.security.jwks-uri");
	}

	private void assertRejected(String token, String reason) {
		assertThatThrownBy(() -> validator.validate(token))
				.isInstanceOf(InvalidAccessTokenException.class)
				.hasMessageContaining(reason);
	}

	private static JWTClaimsSet.Builder valid() {
		return TestKeys.claims("user-1", "user/*.rs");
	}

	private static Date secondsFromNow(int seconds) {
		return Date.from(Instant.now().plusSeconds(seconds));
	}
}
