package org.alliancefhir.cds;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.alliancefhir.security.SecurityProperties;
import org.alliancefhir.server.AllianceProperties;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * CDS Hooks 2.0 endpoint: the discovery document at {@code GET /cds-services} and the services at
 * {@code POST /cds-services/{id}}, answering with cards for the patient's alliance alerts and low scores. Data is
 * read through a FHIR REST API with the request's access token ({@code fhirAuthorization}, else the request's own
 * bearer token), so a service call sees no more than that token may see; with an issuer configured, a call with no
 * token is refused with 401. With trusted CDS clients configured, a bearer JWT of one of them is verified as the
 * client's identity (401 when it fails) and is never sent on to a FHIR server.
 *
 * @see <a href="https://cds-hooks.hl7.org/2.0/">CDS Hooks 2.0</a>
 */
@RestController
class CdsServicesController {

	static final String PATH = "/cds-services";
	private static final String BEARER = "Bearer ";

	private final FhirContext fhirContext;
	private final CdsProperties properties;
	private final FhirServers fhirServers;
	private final boolean tokensRequired;
	private final String ownIssuer;
	private final TrustedCdsClients clients;
	private final String publicRoot;

	CdsServicesController(
			FhirContext fhirContext,
			CdsProperties properties,
			SecurityProperties security,
			AllianceProperties alliance) {
		this.fhirContext = fhirContext;
		this.properties = properties;
		this.fhirServers = new FhirServers(properties.trustedFhirServers(), alliance.serverAddress());
		this.tokensRequired = security.enabled();
		this.ownIssuer = security.issuer();
		this.clients = new TrustedCdsClients(
				properties.trustedClients(),
				new UsedTokenIds(properties.maxClientTokens(), Clock.systemUTC()),
				Clock.systemUTC());
		this.publicRoot = alliance.serverAddress().replaceFirst("/?(" + FhirServers.FHIR_PATH + ")?/?$", "");
	}

	@GetMapping(PATH)
	Map<String, List<CdsServiceCatalog.CdsService>> discovery() {
		return Map.of("services", CdsServiceCatalog.SERVICES);
	}

	@PostMapping(PATH + "/{id}")
	ResponseEntity<Map<String, Object>> call(
			@PathVariable String id, @RequestBody(required = false) JsonNode body, HttpServletRequest http) {
		Optional<CdsServiceCatalog.CdsService> service = CdsServiceCatalog.find(id);
		if (service.isEmpty()) {
			return ResponseEntity.status(404).body(Map.of("error", "No CDS service " + id));
		}
		Optional<String> bearer = bearer(http);
		boolean fromTrustedClient = bearer.isPresent() && isClientJwt(bearer.get());
		if (fromTrustedClient) {
			clients.verify(bearer.get(), audiences(http, id));
		}
		// a client's JWT is its identity, never an access token to send on to a FHIR server
		Optional<String> bearerAccessToken = fromTrustedClient ? Optional.empty() : bearer;
		CdsRequest request = CdsRequest.of(body, service.get(), fhirContext);
		Optional<String> token = request.accessToken().or(() -> bearerAccessToken);
		if (tokensRequired && token.isEmpty() && !(fromTrustedClient && request.prefetchedAll())) {
			if (fromTrustedClient) {
				throw new PreconditionFailedException("This CDS service needs fhirAuthorization (an access token for "
						+ "this server) to read what the request did not prefetch");
			}
			throw new AuthenticationException(
					"This CDS service needs an access token for this server (fhirAuthorization or Authorization)");
		}
		String fhirBase = fhirServers.baseFor(request.fhirServer(), http);
		AllianceRecords records = AllianceRecords.load(request, fhirContext, fhirBase, token);
		List<CdsCard> cards = new AllianceCards(source(http), appLink(http, request.patientId())).cards(records);
		return ResponseEntity.ok(Map.of("cards", cards));
	}

	/** Errors of the request or of the FHIR server it reads (401, 403, 400) keep their status. */
	@ExceptionHandler(BaseServerResponseException.class)
	ResponseEntity<Map<String, Object>> refused(BaseServerResponseException e) {
		int status = e instanceof InvalidRequestException ? 400 : e.getStatusCode();
		ResponseEntity.BodyBuilder response = ResponseEntity.status(status);
		if (status == 401) {
			response.header("WWW-Authenticate", "Bearer");
		}
		return response.body(Map.of("error", e.getMessage()));
	}

	/** With trusted CDS clients configured, every bearer token that is not of this server's issuer is a client's. */
	private boolean isClientJwt(String bearer) {
		if (!clients.configured()) {
			return false;
		}
		return ownIssuer.isBlank() || !TrustedCdsClients.issuerOf(bearer).equals(Optional.of(ownIssuer));
	}

	/** The called service's URL, as requested and under the configured public address: what {@code aud} may name. */
	private Set<String> audiences(HttpServletRequest http, String id) {
		String path = PATH + "/" + id;
		return publicRoot.isEmpty()
				? Set.of(FhirServers.root(http) + path)
				: Set.of(FhirServers.root(http) + path, publicRoot + path);
	}

	private CdsCard.Source source(HttpServletRequest http) {
		return new CdsCard.Source("Alliance FHIR Server", FhirServers.root(http) + PATH);
	}

	private CdsCard.Link appLink(HttpServletRequest http, String patientId) {
		if (properties.appPath().isBlank()) {
			return null;
		}
		return new CdsCard.Link(
				"Open het alliantie-overzicht",
				FhirServers.root(http) + properties.appPath(),
				"smart",
				"patient=" + patientId);
	}

	private static Optional<String> bearer(HttpServletRequest http) {
		String header = http.getHeader("Authorization");
		return header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
				? Optional.of(header.substring(BEARER.length()).trim())
				: Optional.empty();
	}
}
