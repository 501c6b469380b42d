package org.alliancefhir.extraction;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.Optional;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.UriType;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * A remote FHIR terminology server that expands the answer ValueSets this server does not hold
 * ({@code ValueSet/$expand?url=…}), e.g. LOINC answer lists.
 *
 * @see <a href="https://hl7.org/fhir/R4/valueset-operation-expand.html">ValueSet $expand</a>
 */
class TerminologyServer {

	private final IGenericClient client;
	private final String baseUrl;

	TerminologyServer(FhirContext fhirContext, String baseUrl) {
		fhirContext.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
		this.client = fhirContext.newRestfulGenericClient(baseUrl);
		this.baseUrl = baseUrl;
	}

	/**
	 * Returns the expansion, or empty when the server does not know the ValueSet.
	 *
	 * @throws IllegalStateException when the server fails or cannot be reached, with the reason
	 */
	Optional<ValueSet> expand(String canonical) {
		int bar = canonical.indexOf('|');
		Parameters parameters = new Parameters();
		parameters.addParameter("url", new UriType(bar < 0 ? canonical : canonical.substring(0, bar)));
		if (bar >= 0) {
			parameters.addParameter("valueSetVersion", canonical.substring(bar + 1));
		}
		try {
			return Optional.of(client.operation()
					.onType(ValueSet.class)
					.named("$expand")
					.withParameters(parameters)
					.returnResourceType(ValueSet.class)
					.execute());
		} catch (ResourceNotFoundException e) {
			return Optional.empty();
		} catch (BaseServerResponseException e) {
			throw new IllegalStateException("the terminology server " + baseUrl + " failed: " + e.getMessage(), e);
		}
	}
}
