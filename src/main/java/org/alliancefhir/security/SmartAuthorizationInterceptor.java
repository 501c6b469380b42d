package org.alliancefhir.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import java.util.List;
import org.alliancefhir.storage.DerivedWrites;

/**
 * Authorizes every REST request by the SMART scopes of its bearer token ({@link ScopeRules}), answering what they do
 * not allow with HTTP 403, an OperationOutcome and an {@code insufficient_scope} challenge; registered on the
 * RestfulServer only, so it never sees the server's own derived writes (see {@code SecurityComponents}).
 */
public class SmartAuthorizationInterceptor extends AuthorizationInterceptor {

	private final ScopeRules rules;

	SmartAuthorizationInterceptor(ScopeRules rules) {
		super(PolicyEnum.DENY);
		this.rules = rules;
	}

	@Override
	public List<IAuthRule> buildRuleList(RequestDetails request) {
		if (DerivedWrites.isDerivedWrite(request)) {
			// never reached as wired (see SecurityComponents); should this interceptor ever be registered on the JPA
			// interceptor service, the server's flagged derived writes still pass, and other system writes do not
			return new RuleBuilder().allowAll().build();
		}
		return AccessToken.of(request).map(rules::forToken).orElseGet(rules::anonymous);
	}

	@Override
	protected void handleDeny(RequestDetails request, Verdict verdict) {
		String what = request.getResourceName() == null ? "request" : request.getResourceName() + " request";
		throw insufficientScope("the access token's scopes do not allow this " + what);
	}

	/** HTTP 403 with an OperationOutcome and an {@code insufficient_scope} challenge. */
	static ForbiddenOperationException insufficientScope(String reason) {
		ForbiddenOperationException denied = new ForbiddenOperationException("Insufficient scope: " + reason);
		denied.addResponseHeader(
				BearerTokenInterceptor.CHALLENGE_HEADER,
				"Bearer error=\"insufficient_scope\", error_description=\"" + reason + "\"");
		return denied;
	}
}
