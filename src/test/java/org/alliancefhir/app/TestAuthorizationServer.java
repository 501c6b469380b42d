package org.alliancefhir.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal OAuth 2.0 authorization server for the SMART launch test: {@code /authorize} approves every request at
 * once for the patient set with {@link #issueTokensFor} and redirects back with a code; {@code /token} checks the PKCE verifier (S256) and the
 * redirect URI and returns an RS256 access token with that patient, signed with a key generated for the run.
 */
final class TestAuthorizationServer implements AutoCloseable {

	static final String ISSUER = "https://auth.alliancefhir.test/realms/app";
	static final String AUDIENCE = "https://fhir.alliancefhir.test/fhir";

	private final HttpServer server;
	private final RSAKey key;
	private volatile String patient;
	private final Map<String, Map<String, String>> codes = new ConcurrentHashMap<>();
	/** The query of every authorization request, for the test's assertions. */
	final List<Map<String, String>> authorizationRequests = new CopyOnWriteArrayList<>();

	private TestAuthorizationServer(HttpServer server, RSAKey key) {
		this.server = server;
		this.key = key;
	}

	/** Starts on a free loopback port. */
	static TestAuthorizationServer start() throws IOException, JOSEException {
		HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		TestAuthorizationServer authorization = new TestAuthorizationServer(
				http,
				new RSAKeyGenerator(2048).keyID("app-" + UUID.randomUUID()).generate());
		http.createContext("/authorize", authorization::authorize);
		http.createContext("/token", authorization::token);
		http.start();
		return authorization;
	}

	/** Every token issued from now on is for this patient (an id), as if the user had picked them at launch. */
	void issueTokensFor(String patientId) {
		this.patient = patientId;
	}

	String baseUrl() {
		return "http://127.0.0.1:" + server.getAddress().getPort();
	}

	String publicJwks() {
		return new JWKSet(key.toPublicJWK()).toString();
	}

	private void authorize(HttpExchange exchange) throws IOException {
		Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
		authorizationRequests.add(query);
		if (!"S256".equals(query.get("code_challenge_method")) || query.get("code_challenge") == null) {
			send(exchange, 400, "{\"error\":\"invalid_request\",\"error_description\":\"PKCE S256 required\"}");
			return;
		}
		String code = UUID.randomUUID().toString();
		codes.put(code, query);
		exchange.getResponseHeaders()
				.add(
						"Location",
						query.get("redirect_uri") + "?code=" + code + "&state="
								+ URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8));
		exchange.sendResponseHeaders(302, -1);
		exchange.close();
	}

	private void token(HttpExchange exchange) throws IOException {
		exchange.getResponseHeaders().add("Access-Control-Allow-Origin", "*");
		if ("OPTIONS".equals(exchange.getRequestMethod())) {
			exchange.getResponseHeaders().add("Access-Control-Allow-Headers", "Content-Type, Accept");
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
			return;
		}
		Map<String, String> body = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
		Map<String, String> request = codes.remove(body.getOrDefault("code", ""));
		if (request == null
				|| !request.get("redirect_uri").equals(body.get("redirect_uri"))
				|| !request.get("code_challenge").equals(challenge(body.getOrDefault("code_verifier", "")))) {
			send(exchange, 400, "{\"error\":\"invalid_grant\"}");
			return;
		}
		String scope = request.get("scope");
		Map<String, Object> response = new LinkedHashMap<>();
		response.put("access_token", accessToken(scope, request.get("client_id")));
		response.put("token_type", "Bearer");
		response.put("expires_in", 300);
		response.put("scope", scope);
		response.put("patient", patient);
		send(exchange, 200, new ObjectMapper().writeValueAsString(response));
	}

	private String accessToken(String scope, String clientId) {
		Instant now = Instant.now();
		JWTClaimsSet claims = new JWTClaimsSet.Builder()
				.issuer(ISSUER)
				.audience(AUDIENCE)
				.subject("clinician-1")
				.claim("client_id", clientId)
				.claim("scope", scope)
				.claim("patient", patient)
				.issueTime(Date.from(now))
				.expirationTime(Date.from(now.plusSeconds(300)))
				.jwtID(UUID.randomUUID().toString())
				.build();
		return sign(claims);
	}

	/** A token for the test's own set-up requests (system scope). */
	String systemToken() {
		Instant now = Instant.now();
		return sign(new JWTClaimsSet.Builder()
				.issuer(ISSUER)
				.audience(AUDIENCE)
				.subject("test-setup")
				.claim("client_id", "test-setup")
				.claim("scope", "system/*.cruds")
				.issueTime(Date.from(now))
				.expirationTime(Date.from(now.plusSeconds(600)))
				.jwtID(UUID.randomUUID().toString())
				.build());
	}

	private String sign(JWTClaimsSet claims) {
		try {
			SignedJWT jwt = new SignedJWT(
					new JWSHeader.Builder(JWSAlgorithm.RS256)
							.keyID(key.getKeyID())
							.type(JOSEObjectType.JWT)
							.build(),
					claims);
			jwt.sign(new RSASSASigner(key));
			return jwt.serialize();
		} catch (JOSEException e) {
			throw new IllegalStateException(e);
		}
	}

	private static String challenge(String verifier) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	private static Map<String, String> form(String encoded) {
		Map<String, String> values = new LinkedHashMap<>();
		if (encoded == null || encoded.isBlank()) {
			return values;
		}
		for (String pair : encoded.split("&")) {
			int equals = pair.indexOf('=');
			String name = equals < 0 ? pair : pair.substring(0, equals);
			String value = equals < 0 ? "" : pair.substring(equals + 1);
			values.put(
					URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
		}
		return values;
	}

	private static void send(HttpExchange exchange, int status, String json) throws IOException {
		byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		exchange.getResponseBody().write(bytes);
		exchange.close();
	}

	@Override
	public void close() {
		server.stop(0);
	}
}
