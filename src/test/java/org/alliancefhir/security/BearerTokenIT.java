package org.alliancefhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Date;
import java.util.function.Function;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every FHIR request but the public documents needs a valid bearer token; anything else is a 401 with a challenge. */
class BearerTokenIT extends SecuredServerIntegrationTest {

	private static final String SEARCH = "/Observation?code=no-such-code";
	private static final String READ_ALL = "user/*.read";

	@Test
	void theCapabilityStatementIsPublic() {
		HttpResponse<String> response = get("/metadata", null);

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"CapabilityStatement\"");
	}

	@Test
	void aRequestWithoutATokenGets401WithABearerChallengeAndAnOperationOutcome() {
		HttpResponse<String> response = get(SEARCH, null);

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
		OperationOutcome outcome = outcome(response);
		assertThat(outcome.getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
		assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("Authorization: Bearer");
	}

	@Test
	void basicAuthenticationIsNotAccepted() {
		HttpResponse<String> response = send(request(SEARCH, null)
				.header("Authorization", "Basic YWRtaW46YWRtaW4=")
				.GET());

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
				.startsWith("Bearer error=\"invalid_request\"");
	}

	static Stream<Arguments> invalidTokens() {
		return Stream.of(
				token("a signature by another key", keys -> keys.forged(valid().build())),
				token("a payload changed after signing", keys -> keys.tampered(valid().build(), SYSTEM_SCOPES)),
				token(
						"an expired token",
						keys -> keys.rs256(
								valid().expirationTime(minutesFromNow(-5)).build())),
				token(
						"a token not valid yet",
						keys -> keys.rs256(
								valid().notBeforeTime(minutesFromNow(5)).build())),
				token(
						"a token for another audience",
						keys -> keys.rs256(valid().audience("https://other.example.org/fhir")
								.build())),
				token(
						"a token from another issuer",
						keys -> keys.rs256(
								valid().issuer("https://evil.example.org").build())),
				token(
						"a token without expiry",
						keys -> keys.rs256(valid().expirationTime(null).build())),
				token("an unsigned token (alg none)", keys -> TestKeys.unsigned(valid().build())),
				token("an HS256 token keyed with the public key", keys -> keys.hs256(valid().build())),
				token("an RS384 token", keys -> TestKeys.sign(keys.rsa, JWSAlgorithm.RS384, valid().build())),
				token("no JWT at all", keys -> "not-a-jwt"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidTokens")
	void anInvalidTokenGets401WithAnInvalidTokenChallenge(String description, Function<TestKeys, String> token) {
		HttpResponse<String> response = get(SEARCH, token.apply(keys()));

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
				.startsWith("Bearer error=\"invalid_token\"");
		assertThat(outcome(response).getIssueFirstRep().getDiagnostics()).startsWith("The access token");
	}

	@Test
	void rs256AndEs256TokensAreBothAccepted() {
		assertThat(get(SEARCH, keys().rs256(valid().build())).statusCode()).isEqualTo(200);
		assertThat(get(SEARCH, keys().es256(valid().build())).statusCode()).isEqualTo(200);
	}

	@Test
	void aKeyRotatedIntoTheJwkSetIsAcceptedOnceTheSetIsFetchedAgain() throws IOException {
		RSAKey rotated = TestKeys.generate().rsa;
		String token = TestKeys.sign(rotated, JWSAlgorithm.RS256, valid().build());
		String before = Files.readString(secured.jwksFile);
		Files.writeString(secured.jwksFile, keys().jwks(rotated));
		try {
			assertThat(get(SEARCH, token).statusCode()).isEqualTo(200);
		} finally {
			Files.writeString(secured.jwksFile, before);
		}
	}

	private static JWTClaimsSet.Builder valid() {
		return TestKeys.claims("staff-user", READ_ALL);
	}

	private static Date minutesFromNow(int minutes) {
		return Date.from(Instant.now().plusSeconds(60L * minutes));
	}

	private static Arguments token(String description, Function<TestKeys, String> token) {
		return Arguments.of(description, token);
	}
}
