package org.alliancefhir.cds;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Gets the patient's alerts and scores for the cards: the EHR's prefetched Bundles where it sent them, else the
 * prefetch queries run through a FHIR server's REST API with the caller's access token, so the service sees exactly
 * what that token may see (and an unauthenticated caller nothing, when an issuer is configured).
 */
final class AllianceRecords {

	private final Map<String, Bundle> bundles;

	private AllianceRecords(Map<String, Bundle> bundles) {
		this.bundles = bundles;
	}

	/**
	 * @param fhirBase the REST base to query for what was not prefetched
	 * @param accessToken the bearer token to send there, if any
	 */
	static AllianceRecords load(
			CdsRequest request, FhirContext fhirContext, String fhirBase, Optional<String> accessToken) {
		Map<String, Bundle> bundles = new HashMap<>();
		IGenericClient client = null;
		for (Map.Entry<String, String> template : CdsServiceCatalog.PREFETCH.entrySet()) {
			Optional<Bundle> prefetched = request.prefetched(template.getKey());
			if (prefetched.isPresent()) {
				bundles.put(template.getKey(), prefetched.get());
				continue;
			}
			if (client == null) {
				client = client(fhirContext, fhirBase, accessToken);
			}
			String query = template.getValue().replace("{{context.patientId}}", request.patientId());
			bundles.put(template.getKey(), search(client, query));
		}
		return new AllianceRecords(bundles);
	}

	Bundle get(String key) {
		return bundles.getOrDefault(key, new Bundle());
	}

	private static IGenericClient client(FhirContext fhirContext, String fhirBase, Optional<String> accessToken) {
		fhirContext.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
		IGenericClient client = fhirContext.newRestfulGenericClient(fhirBase);
		accessToken.ifPresent(token -> client.registerInterceptor(new BearerTokenAuthInterceptor(token)));
		return client;
	}

	/** A 401 or 403 of the FHIR server reaches the caller as such (see {@code CdsServicesController}). */
	private static Bundle search(IGenericClient client, String query) {
		return client.search().byUrl(query).returnBundle(Bundle.class).execute();
	}
}
