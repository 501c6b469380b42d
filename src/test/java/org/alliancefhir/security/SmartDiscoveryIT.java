package org.alliancefhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestSecurityComponent;
import org.hl7.fhir.r4.model.Extension;
import org.junit.jupiter.api.Test;

/** SMART apps discover the authorization server without a token: the well-known document and the CapabilityStatement. */
class SmartDiscoveryIT extends SecuredServerIntegrationTest {

	@Test
	void theSmartConfigurationNamesTheAuthorizationServerAndWhatThisServerEnforces() throws Exception {
		HttpResponse<String> response = get("/.well-known/smart-configuration", null);

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
		assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
		JsonNode document = new ObjectMapper().readTree(response.body());
		assertThat(document.get("issuer").asText()).isEqualTo(TestKeys.ISSUER);
		assertThat(document.get("authorization_endpoint").asText()).isEqualTo(SecuredServer.AUTHORIZATION_ENDPOINT);
		assertThat(document.get("token_endpoint").asText()).isEqualTo(SecuredServer.TOKEN_ENDPOINT);
		assertThat(document.has("jwks_uri"))
				.as("a file: JWK set is not published")
				.isFalse();
		assertThat(texts(document.get("capabilities")))
				.containsExactlyInAnyOrder(
						"permission-v1",
						"permission-v2",
						"permission-patient",
						"permission-user",
						"launch-standalone",
						"context-standalone-patient",
						"launch-ehr",
						"context-ehr-patient");
		assertThat(texts(document.get("scopes_supported"))).contains("patient/*.rs", "user/*.read", "system/*.cruds");
		assertThat(texts(document.get("grant_types_supported"))).containsExactly("authorization_code");
		assertThat(texts(document.get("code_challenge_methods_supported"))).containsExactly("S256");
	}

	@Test
	void theCapabilityStatementDeclaresSmartOnFhirWithTheOAuthEndpoints() {
		CapabilityStatement capabilities = parse(CapabilityStatement.class, get("/metadata", null));

		CapabilityStatementRestSecurityComponent security =
				capabilities.getRestFirstRep().getSecurity();
		assertThat(security.getCors()).isTrue();
		assertThat(security.getServiceFirstRep().getCodingFirstRep().getSystem())
				.isEqualTo("http://terminology.hl7.org/CodeSystem/restful-security-service");
		assertThat(security.getServiceFirstRep().getCodingFirstRep().getCode()).isEqualTo("SMART-on-FHIR");
		Extension uris =
				security.getExtensionByUrl("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris");
		assertThat(uris).isNotNull();
		assertThat(uris.getExtensionByUrl("authorize").getValue().primitiveValue())
				.isEqualTo(SecuredServer.AUTHORIZATION_ENDPOINT);
		assertThat(uris.getExtensionByUrl("token").getValue().primitiveValue()).isEqualTo(SecuredServer.TOKEN_ENDPOINT);
	}

	private static List<String> texts(JsonNode array) {
		List<String> texts = new ArrayList<>();
		array.forEach(node -> texts.add(node.asText()));
		return texts;
	}
}
