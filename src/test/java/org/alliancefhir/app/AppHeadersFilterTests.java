package org.alliancefhir.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AppHeadersFilterTests {

	@Test
	void policyAllowsTheTokenEndpointsOriginAndTheConfiguredFrameAncestors() {
		String policy = AppHeadersFilter.policy(
				List.of("https://ehr.example.org", "'self'"), "https://auth.example.org:8443/realms/x/token");

		assertThat(policy)
				.contains("connect-src 'self' https://auth.example.org:8443;")
				.endsWith("frame-ancestors https://ehr.example.org 'self'");
	}

	@Test
	void policyWithoutTokenEndpointConnectsOnlyToItself() {
		assertThat(AppHeadersFilter.policy(List.of(), ""))
				.contains("connect-src 'self';")
				.endsWith("frame-ancestors 'self'");
	}

	@Test
	void onlySameOriginFramingSendsXFrameOptions() {
		assertThat(new AppProperties(List.of("'self'"), "app").sameOriginFramesOnly())
				.isTrue();
		assertThat(new AppProperties(List.of("https://ehr.example.org"), "app").sameOriginFramesOnly())
				.isFalse();
	}
}
