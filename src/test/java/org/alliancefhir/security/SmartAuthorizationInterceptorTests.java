package org.alliancefhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor.Verdict;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import org.alliancefhir.storage.DerivedWrites;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

class SmartAuthorizationInterceptorTests {

	private final SmartAuthorizationInterceptor interceptor =
			new SmartAuthorizationInterceptor(new ScopeRules(FhirContext.forR4Cached()));

	@Test
	void letsTheServersFlaggedDerivedWritesThrough() {
		assertThat(decisionOnCreatingAnObservation((SystemRequestDetails) DerivedWrites.request()))
				.isEqualTo(PolicyEnum.ALLOW);
	}

	@Test
	void refusesOtherSystemWritesWithoutAToken() {
		assertThat(decisionOnCreatingAnObservation(new SystemRequestDetails())).isEqualTo(PolicyEnum.DENY);
	}

	@Test
	void judgesARequestWithATokenByItsScopes() {
		SystemRequestDetails request = new SystemRequestDetails();
		new AccessToken(TestKeys.ISSUER, "user-1", "app", null, SmartScope.parseAll("user/Observation.c"))
				.attachTo(request);

		assertThat(decisionOnCreatingAnObservation(request)).isEqualTo(PolicyEnum.ALLOW);
	}

	private PolicyEnum decisionOnCreatingAnObservation(SystemRequestDetails request) {
		request.setFhirContext(FhirContext.forR4Cached());
		Observation observation = new Observation();
		observation.setId("Observation/1");
		Verdict verdict = interceptor.applyRulesAndReturnDecision(
				RestOperationTypeEnum.CREATE, request, observation, observation.getIdElement(), null, null);
		return verdict.getDecision();
	}
}
