package org.alliancefhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * CDS Hooks 2.0 "Trusting CDS Clients": an EHR configured as a trusted client calls the service with a JWT signed by
 * its own keys (served as a JWK set over HTTP); a valid one gets cards, and a wrong signature, an expired token, the
 * wrong {@code aud}, an unknown {@code iss}, a replayed {@code jti}, a missing {@code kid}, a foreign {@code jku} and
 * a missing token are each refused with 401 and a JSON error naming the reason.
 *
 * @see <a href="https://cds-hooks.hl7.org/2.0/#trusting-cds-clients">CDS Hooks 2.0, Trusting CDS Clients</a>
 */
class CdsClientJwtIT extends SecuredServerIntegrationTest {

	private static final ObjectMapper JSON = new ObjectMapper();
	private static final String SERVICE = "alliance-patient-view";

	@Test
	void aValidClientJwtWithFhirAuthorizationGetsTheCards() throws Exception {
		String patient = newPatient();
		storedResponse(patient); // the SRS fixture is below 36: an urgent alert
		awaitAlert(patient);

		HttpResponse<String> response = cds(request(patient, systemToken(), false), clientJwt(claims().build()));

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode cards = JSON.readTree(response.body()).get("cards");
		assertThat(cards).hasSize(1);
		assertThat(cards.get(0).get("indicator").asText()).isEqualTo("critical");
	}

	@Test
	void aValidClientJwtWithEverythingPrefetchedNeedsNoAccessToken() throws Exception {
		HttpResponse<String> response = cds(request("p-" + UUID.randomUUID(), null, true), clientJwt(claims().build()));

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(JSON.readTree(response.body()).get("cards")).isEmpty();
	}

	@Test
	void aValidClientJwtWithoutPrefetchOrFhirAuthorizationCannotReadAndGets412() throws Exception {
		HttpResponse<String> response =
				cds(request("p-" + UUID.randomUUID(), null, false), clientJwt(claims().build()));

		assertThat(response.statusCode()).isEqualTo(412);
		assertThat(error(response)).contains("needs fhirAuthorization");
	}

	@Test
	void aWrongSignatureIsRefused() throws Exception {
		String forged = secured.cdsClientKeys.forged(claims().build());

		assertRefused(cds(request("p", null, true), forged), "Invalid signature");
	}

	@Test
	void anExpiredClientJwtIsRefused() throws Exception {
		Instant past = Instant.now().minus(Duration.ofMinutes(10));
		JWTClaimsSet expired = claims().issueTime(Date.from(past))
				.expirationTime(Date.from(past.plusSeconds(300)))
				.build();

		assertRefused(cds(request("p", null, true), clientJwt(expired)), "Expired JWT");
	}

	@Test
	void aClientJwtForAnotherServiceIsRefused() throws Exception {
		JWTClaimsSet otherAudience = claims().audience(
						"http://localhost:" + secured.server.port() + "/cds-services/alliance-encounter-start")
				.build();

		assertRefused(cds(request("p", null, true), clientJwt(otherAudience)), "audience rejected");
	}

	@Test
	void aClientJwtOfAnUnknownIssuerIsRefused() throws Exception {
		JWTClaimsSet stranger = claims().issuer("https://other-ehr.example.org").build();

		assertRefused(
				cds(request("p", null, true), clientJwt(stranger)),
				"names an issuer (iss) that is not a trusted CDS client: https://other-ehr.example.org");
	}

	@Test
	void aReplayedClientJwtIsRefused() throws Exception {
		String token = clientJwt(claims().build());
		assertThat(cds(request("p", null, true), token).statusCode()).isEqualTo(200);

		assertRefused(cds(request("p", null, true), token), "was used before (jti)");
	}

	@Test
	void aClientJwtWithoutKeyIdOrWithAForeignJwkSetIsRefused() throws Exception {
		assertRefused(
				cds(request("p", null, true), clientJwt(claims().build(), header().keyID(null))),
				"has no key id (kid)");
		assertRefused(
				cds(
						request("p", null, true),
						clientJwt(claims().build(), header().jwkURL(URI.create("https://attacker.example.org/jwks")))),
				"names a JWK set (jku) other than the one configured");
	}

	@Test
	void theConfiguredJwkSetUrlIsAcceptedAsJku() {
		String token = clientJwt(claims().build(), header().jwkURL(URI.create(secured.cdsClientJwksUrl)));

		assertThat(cds(request("p", null, true), token).statusCode()).isEqualTo(200);
	}

	@Test
	void aCallWithNoTokenAtAllIsRefused() throws Exception {
		assertRefused(cds(request("p", null, false), null), "needs an access token");
	}

	private static void assertRefused(HttpResponse<String> response, String reason) throws Exception {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
		assertThat(response.headers().firstValue("Content-Type"))
				.hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
		assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
		assertThat(error(response)).contains(reason);
		assertThat(response.body()).doesNotContain("cards");
	}

	private static String error(HttpResponse<String> response) throws Exception {
		return JSON.readTree(response.body()).get("error").asText();
	}

	/** The claims CDS Hooks 2.0 asks of a client JWT, valid for five minutes, for the patient-view service. */
	private static JWTClaimsSet.Builder claims() {
		Instant now = Instant.now();
		return new JWTClaimsSet.Builder()
				.issuer(SecuredServer.CDS_CLIENT_ISSUER)
				.subject("ehr-client-id")
				.audience("http://localhost:" + secured.server.port() + "/cds-services/" + SERVICE)
				.issueTime(Date.from(now))
				.expirationTime(Date.from(now.plusSeconds(300)))
				.jwtID(UUID.randomUUID().toString());
	}

	private static JWSHeader.Builder header() {
		return new JWSHeader.Builder(JWSAlgorithm.RS384)
				.type(JOSEObjectType.JWT)
				.keyID(secured.cdsClientKeys.rsa.getKeyID());
	}

	private static String clientJwt(JWTClaimsSet claims) {
		return clientJwt(claims, header());
	}

	private static String clientJwt(JWTClaimsSet claims, JWSHeader.Builder header) {
		try {
			SignedJWT jwt = new SignedJWT(header.build(), claims);
			jwt.sign(new RSASSASigner(secured.cdsClientKeys.rsa));
			return jwt.serialize();
		} catch (JOSEException e) {
			throw new IllegalStateException(e);
		}
	}

	private static String request(String patient, String fhirToken, boolean prefetchAll) {
		String authorization = fhirToken == null
				? ""
				: ", \"fhirAuthorization\": {\"access_token\": \"" + fhirToken
						+ "\", \"token_type\": \"Bearer\", \"expires_in\": 300, \"scope\": \"system/*.read\", \"subject\": \"ehr\"}";
		String empty = "{\"resourceType\": \"Bundle\", \"type\": \"searchset\"}";
		String prefetch = prefetchAll
				? ", \"prefetch\": {\"tasks\": " + empty + ", \"flags\": " + empty + ", \"scores\": " + empty + "}"
				: "";
		return "{\"hookInstance\": \"" + UUID.randomUUID() + "\", \"hook\": \"patient-view\", \"context\": {"
				+ "\"userId\": \"Practitioner/example\", \"patientId\": \"" + patient + "\"}" + authorization
				+ prefetch + "}";
	}

	private static HttpResponse<String> cds(String body, String token) {
		HttpRequest.Builder request = HttpRequest.newBuilder(
						URI.create("http://localhost:" + secured.server.port() + "/cds-services/" + SERVICE))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return send(request);
	}
}
