package org.alliancefhir.app;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the clinician app under {@code alliance.app}.
 *
 * @param frameAncestors the CSP {@code frame-ancestors} sources allowed to show the app in a frame: {@code 'self'}
 *     (the default) or the origins of the EHRs that embed it, e.g. {@code https://ehr.example.org}
 * @param clientId the OAuth client id the app was registered with at the authorization server
 */
@ConfigurationProperties("alliance.app")
public record AppProperties(
		@DefaultValue(AppProperties.SELF) List<String> frameAncestors, @DefaultValue("alliance-app") String clientId) {

	static final String SELF = "'self'";

	/** Whether only this server's own pages may frame the app. */
	boolean sameOriginFramesOnly() {
		return frameAncestors.isEmpty() || List.of(SELF).equals(frameAncestors);
	}
}
