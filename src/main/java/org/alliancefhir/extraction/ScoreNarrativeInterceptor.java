package org.alliancefhir.extraction;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import java.util.Arrays;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;

/**
 * Writes the Dutch narrative into every score Observation the REST server answers with (read, vread, search,
 * history, {@code $everything}, {@code $extract}, transaction and batch responses: the Observation itself or inside a
 * Bundle or Parameters), unless the client asked for a view without narrative ({@code _summary=true|data|count},
 * {@code _elements} without {@code text}).
 */
@Interceptor
public class ScoreNarrativeInterceptor {

	private static final Set<String> WITHOUT_NARRATIVE = Set.of("true", "data", "count");

	private final ServedScoreNarrative narrative;

	ScoreNarrativeInterceptor(ServedScoreNarrative narrative) {
		this.narrative = narrative;
	}

	@Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
	public void describeScores(RequestDetails request, ResponseDetails response) {
		if (response.getResponseResource() != null && wantsNarrative(request)) {
			describe(response.getResponseResource());
		}
	}

	private void describe(IBaseResource resource) {
		if (resource instanceof Observation observation) {
			narrative.describe(observation);
		} else if (resource instanceof Bundle bundle) {
			bundle.getEntry().stream()
					.filter(Bundle.BundleEntryComponent::hasResource)
					.forEach(entry -> describe(entry.getResource()));
		} else if (resource instanceof Parameters parameters) {
			parameters.getParameter().stream()
					.filter(Parameters.ParametersParameterComponent::hasResource)
					.forEach(parameter -> describe(parameter.getResource()));
		}
	}

	private static boolean wantsNarrative(RequestDetails request) {
		String[] summary = request.getParameters().get(Constants.PARAM_SUMMARY);
		if (summary != null && Arrays.stream(summary).anyMatch(WITHOUT_NARRATIVE::contains)) {
			return false;
		}
		String[] elements = request.getParameters().get(Constants.PARAM_ELEMENTS);
		return elements == null
				|| Arrays.stream(elements)
						.flatMap(e -> Arrays.stream(e.split(",")))
						.anyMatch(e -> e.trim().equals("text") || e.trim().endsWith(".text"));
	}
}
