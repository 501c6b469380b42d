package org.alliancefhir.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requires a valid bearer token on every FHIR request but {@code metadata}, answering anything else with HTTP 401, an
 * OperationOutcome and a {@code WWW-Authenticate: Bearer} challenge; hooks the post-processed pointcut, first, so the
 * caller is known before authorization and auditing look at the request.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750#section-3">RFC 6750, the WWW-Authenticate header</a>
 */
@Interceptor
public class BearerTokenInterceptor {

	static final String CHALLENGE_HEADER = "WWW-Authenticate";

	private static final Logger LOG = LoggerFactory.getLogger(BearerTokenInterceptor.class);
	private static final String SCHEME = "Bearer ";

	private final AccessTokenValidator validator;

	BearerTokenInterceptor(AccessTokenValidator validator) {
		this.validator = validator;
	}

	@Hook(value = Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED, order = -100)
	public boolean authenticateCaller(RequestDetails request, HttpServletResponse response) throws IOException {
		if (request.getRestOperationType() == RestOperationTypeEnum.METADATA) {
			return true;
		}
		String authorization = request.getHeader(Constants.HEADER_AUTHORIZATION);
		if (authorization == null || authorization.isBlank()) {
			return refuse(
					request,
					response,
					"Authentication required: send an OAuth 2.0 access token as 'Authorization: Bearer <token>'",
					null);
		}
		if (!authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
			return refuse(request, response, "Only the Bearer authentication scheme is supported", "invalid_request");
		}
		try {
			validator.validate(authorization.substring(SCHEME.length()).trim()).attachTo(request);
			return true;
		} catch (InvalidAccessTokenException e) {
			return refuse(request, response, e.getMessage(), "invalid_token");
		}
	}

	private static boolean refuse(RequestDetails request, HttpServletResponse response, String message, String error)
			throws IOException {
		// written here, not thrown: HAPI logs every exception from a hook at ERROR with its stack trace, which would
		// let anyone without a token fill the logs
		LOG.debug("Refused a request: {}", message);
		OperationOutcome outcome = new OperationOutcome();
		outcome.addIssue()
				.setSeverity(IssueSeverity.ERROR)
				.setCode(IssueType.LOGIN)
				.setDiagnostics(message);
		response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
		response.setHeader(
				CHALLENGE_HEADER,
				error == null
						? "Bearer"
						: "Bearer error=\"" + error + "\", error_description=\"" + quotable(message) + "\"");
		response.setContentType(Constants.CT_FHIR_JSON_NEW + ";charset=utf-8");
		response.getWriter().write(request.getFhirContext().newJsonParser().encodeResourceToString(outcome));
		return false;
	}

	/** RFC 6750 allows neither double quotes nor backslashes in {@code error_description}. */
	private static String quotable(String text) {
		return text.replaceAll("[\"\\\\]", "'");
	}
}
