package org.alliancefhir.cds;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;

/**
 * What a CDS Hooks request carries that the alliance service uses: the hook, the patient in context, the EHR's FHIR
 * server with its access token, and the prefetched Bundles.
 *
 * @see <a href="https://cds-hooks.hl7.org/2.0/#http-request">CDS Hooks request</a>
 */
final class CdsRequest {

	private final JsonNode body;
	private final FhirContext fhirContext;

	private CdsRequest(JsonNode body, FhirContext fhirContext) {
		this.body = body;
		this.fhirContext = fhirContext;
	}

	/**
	 * Reads and checks a request to the given service.
	 *
	 * @throws InvalidRequestException (400) when it is not for the service's hook or names no patient
	 */
	static CdsRequest of(JsonNode body, CdsServiceCatalog.CdsService service, FhirContext fhirContext) {
		if (body == null || !body.isObject()) {
			throw new InvalidRequestException("A CDS Hooks request is a JSON object");
		}
		CdsRequest request = new CdsRequest(body, fhirContext);
		if (!service.hook().equals(body.path("hook").asText())) {
			throw new InvalidRequestException("Service " + service.id() + " answers the hook '" + service.hook()
					+ "', not '" + body.path("hook").asText() + "'");
		}
		if (!body.hasNonNull("hookInstance")) {
			throw new InvalidRequestException("The request has no hookInstance");
		}
		if (request.patientId().isBlank()) {
			throw new InvalidRequestException("The request's context has no patientId");
		}
		return request;
	}

	String patientId() {
		return body.path("context").path("patientId").asText("");
	}

	Optional<String> fhirServer() {
		return text(body.path("fhirServer"));
	}

	Optional<String> accessToken() {
		return text(body.path("fhirAuthorization").path("access_token"));
	}

	/** The prefetched Bundle under the key, when the EHR sent one (a {@code null} value means: fetch it yourself). */
	Optional<Bundle> prefetched(String key) {
		JsonNode value = body.path("prefetch").path(key);
		if (!value.isObject()) {
			return Optional.empty();
		}
		try {
			return Optional.of(fhirContext.newJsonParser().parseResource(Bundle.class, value.toString()));
		} catch (RuntimeException e) {
			throw new InvalidRequestException("Prefetch '" + key + "' is not a FHIR Bundle: " + e.getMessage());
		}
	}

	/** Whether every prefetch template of the service was answered, so nothing needs to be read. */
	boolean prefetchedAll() {
		return CdsServiceCatalog.PREFETCH.keySet().stream()
				.allMatch(key -> body.path("prefetch").path(key).isObject());
	}

	private static Optional<String> text(JsonNode node) {
		return node.isTextual() && !node.asText().isBlank() ? Optional.of(node.asText()) : Optional.empty();
	}
}
