package org.alliancefhir.extraction;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.subscription.model.ResourceDeliveryMessage;
import ca.uhn.fhir.rest.api.EncodingEnum;
import org.hl7.fhir.r4.model.Observation;

/** Writes the Dutch narrative into a score Observation that a REST-hook Subscription delivers as its payload. */
@Interceptor
public class ScoreNarrativeDeliveryInterceptor {

	private final FhirContext fhirContext;
	private final ServedScoreNarrative narrative;

	ScoreNarrativeDeliveryInterceptor(FhirContext fhirContext, ServedScoreNarrative narrative) {
		this.fhirContext = fhirContext;
		this.narrative = narrative;
	}

	@Hook(Pointcut.SUBSCRIPTION_BEFORE_REST_HOOK_DELIVERY)
	public void describeScore(ResourceDeliveryMessage message) {
		if (message.getPayloadString() != null
				&& message.getPayload(fhirContext) instanceof Observation observation
				&& narrative.describe(observation)) {
			EncodingEnum encoding = message.getSubscription().getPayloadString() == null
					? EncodingEnum.JSON
					: EncodingEnum.forContentType(message.getSubscription().getPayloadString());
			message.setPayload(fhirContext, observation, encoding == null ? EncodingEnum.JSON : encoding);
		}
	}
}
