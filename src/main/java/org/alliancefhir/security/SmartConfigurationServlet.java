package org.alliancefhir.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves {@code [base]/.well-known/smart-configuration} publicly: where the authorization server is and what this
 * resource server enforces; capabilities of the EHR and its authorization server (EHR launch, client authentication,
 * OpenID Connect) only as configured in {@code alliance.security.smart-capabilities}, since this server cannot know
 * them. PKCE with S256 is published whenever an authorization endpoint is: SMART App Launch 2.0 requires it, and the
 * clinician app uses nothing else.
 *
 * @see <a href="https://hl7.org/fhir/smart-app-launch/conformance.html">SMART App Launch, conformance</a>
 */
public class SmartConfigurationServlet extends HttpServlet {

	public static final String PATH = "/.well-known/smart-configuration";

	static final List<String> SCOPES_SUPPORTED = List.of(
			"patient/*.rs",
			"patient/*.cruds",
			"user/*.rs",
			"user/*.cruds",
			"system/*.rs",
			"system/*.cruds",
			"patient/*.read",
			"patient/*.write",
			"user/*.read",
			"user/*.write",
			"system/*.read",
			"system/*.write",
			"launch/patient");

	private final transient byte[] document;

	SmartConfigurationServlet(SecurityProperties properties) {
		try {
			this.document = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(document(properties));
		} catch (IOException e) {
			throw new IllegalStateException(e);
		}
	}

	static Map<String, Object> document(SecurityProperties properties) {
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("issuer", properties.issuer());
		if (properties.jwksUri().startsWith("http")) {
			document.put("jwks_uri", properties.jwksUri());
		}
		boolean interactive = !properties.authorizationEndpoint().isBlank();
		if (interactive) {
			document.put("authorization_endpoint", properties.authorizationEndpoint());
			document.put("grant_types_supported", List.of("authorization_code"));
			document.put("response_types_supported", List.of("code"));
			document.put("code_challenge_methods_supported", List.of("S256"));
		}
		if (!properties.tokenEndpoint().isBlank()) {
			document.put("token_endpoint", properties.tokenEndpoint());
		}
		document.put("scopes_supported", SCOPES_SUPPORTED);
		List<String> capabilities =
				new ArrayList<>(List.of("permission-v1", "permission-v2", "permission-patient", "permission-user"));
		if (interactive) {
			capabilities.addAll(List.of("launch-standalone", "context-standalone-patient"));
		}
		properties.smartCapabilities().stream()
				.filter(capability -> !capabilities.contains(capability))
				.forEach(capabilities::add);
		document.put("capabilities", capabilities);
		return document;
	}

	@Override
	protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
		response.setContentType("application/json");
		response.setHeader("Access-Control-Allow-Origin", "*");
		response.setHeader("Cache-Control", "public, max-age=3600");
		response.getOutputStream().write(document);
	}
}
