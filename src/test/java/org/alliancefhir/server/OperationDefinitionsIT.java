package org.alliancefhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceOperationComponent;
import org.hl7.fhir.r4.model.OperationDefinition;
import org.junit.jupiter.api.Test;

/**
 * Every operation the CapabilityStatement lists names a {@code definition} that resolves: a published canonical
 * (FHIR core, SDC, Bulk Data), one of this server's own from {@code profiles/}, or the definition HAPI generates for
 * its own operations; the last two are read here with {@code GET}.
 */
class OperationDefinitionsIT extends ServerIntegrationTest {

	private static final String OWN = "https://alliancefhir.org/fhir/OperationDefinition/";

	@Test
	void everyDefinitionIsPublishedOrServedHere() throws Exception {
		List<CapabilityStatementRestResourceOperationComponent> operations = operations();
		String here = baseUrl() + "/OperationDefinition/";

		assertThat(operations).isNotEmpty();
		assertThat(operations)
				.extracting(CapabilityStatementRestResourceOperationComponent::getDefinition)
				.allSatisfy(definition -> assertThat(definition)
						.matches("(http://hl7\\.org/fhir/(uv/(bulkdata|sdc)/)?OperationDefinition/|" + OWN + "|"
								+ java.util.regex.Pattern.quote(here) + ").+"));
		for (CapabilityStatementRestResourceOperationComponent operation : operations) {
			if (operation.getDefinition().startsWith(here)) {
				HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(operation.getDefinition()))
						.header("Accept", "application/fhir+json"));
				assertThat(response.statusCode()).as(operation.getDefinition()).isEqualTo(200);
				OperationDefinition generated =
						fhirContext.newJsonParser().parseResource(OperationDefinition.class, response.body());
				assertThat(generated.getCode()).isEqualTo(operation.getName());
			}
		}
		assertThat(operations)
				.filteredOn(o -> o.getName().equals("export-poll-status"))
				.extracting(CapabilityStatementRestResourceOperationComponent::getDefinition)
				.containsExactly(here + "-s-export-poll-status");
	}

	@Test
	void coreOperationsNameFhirsOwnDefinitions() {
		CapabilityStatement capabilities = capabilities();

		assertThat(definition(capabilities, "Patient", "everything"))
				.isEqualTo("http://hl7.org/fhir/OperationDefinition/Patient-everything");
		assertThat(definition(capabilities, "CodeSystem", "lookup"))
				.isEqualTo("http://hl7.org/fhir/OperationDefinition/CodeSystem-lookup");
		assertThat(definition(capabilities, "Observation", "validate"))
				.isEqualTo("http://hl7.org/fhir/OperationDefinition/Resource-validate");
		assertThat(definition(capabilities, "QuestionnaireResponse", "extract"))
				.isEqualTo("http://hl7.org/fhir/uv/sdc/OperationDefinition/QuestionnaireResponse-extract");
	}

	@Test
	void theServersOwnDefinitionsResolveByIdAndByCanonical() {
		List<String> own = operations().stream()
				.map(CapabilityStatementRestResourceOperationComponent::getDefinition)
				.filter(d -> d.startsWith(OWN))
				.distinct()
				.toList();
		assertThat(own).containsExactly(OWN + "alliance-summary");

		for (String canonical : own) {
			OperationDefinition byId = client().read()
					.resource(OperationDefinition.class)
					.withId(canonical.substring(OWN.length()))
					.execute();
			assertThat(byId.getUrl()).isEqualTo(canonical);
			assertThat(byId.getCode()).isEqualTo("alliance-summary");
			assertThat(byId.getResource()).extracting(r -> r.getValue()).containsExactly("Patient");
			Bundle byUrl = client().search()
					.byUrl("OperationDefinition?url=" + canonical)
					.returnBundle(Bundle.class)
					.execute();
			assertThat(byUrl.getEntry()).hasSize(1);
		}
	}

	private CapabilityStatement capabilities() {
		return client().capabilities().ofType(CapabilityStatement.class).execute();
	}

	private List<CapabilityStatementRestResourceOperationComponent> operations() {
		CapabilityStatement capabilities = capabilities();
		return Stream.concat(
						capabilities.getRestFirstRep().getOperation().stream(),
						capabilities.getRestFirstRep().getResource().stream().flatMap(r -> r.getOperation().stream()))
				.toList();
	}

	private static String definition(CapabilityStatement capabilities, String type, String name) {
		return capabilities.getRestFirstRep().getResource().stream()
				.filter(r -> r.getType().equals(type))
				.flatMap(r -> r.getOperation().stream())
				.filter(o -> o.getName().equals(name))
				.map(CapabilityStatementRestResourceOperationComponent::getDefinition)
				.findFirst()
				.orElseThrow();
	}
}
