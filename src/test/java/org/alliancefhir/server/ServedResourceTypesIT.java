package org.alliancefhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/** The server stores and lists only the resource types it serves; any other type gets an OperationOutcome. */
class ServedResourceTypesIT extends ServerIntegrationTest {

	@Test
	void theCapabilityStatementListsExactlyTheServedTypes() {
		CapabilityStatement capabilities =
				client().capabilities().ofType(CapabilityStatement.class).execute();

		assertThat(capabilities.getRestFirstRep().getResource())
				.extracting(CapabilityStatementRestResourceComponent::getType)
				.containsExactlyInAnyOrderElementsOf(ServedResourceTypes.BUILT_IN)
				.hasSize(32);
	}

	@Test
	void aSearchOfAnotherTypeAnswers404NamingTheType() throws Exception {
		HttpResponse<String> response = send(request("/Basic?code=x"));

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(outcome(response).getIssueFirstRep().getDiagnostics())
				.contains("Unknown resource type 'Basic'")
				.contains("QuestionnaireResponse");
	}

	@Test
	void aCreateOfAnotherTypeAnswers404AndStoresNothing() throws Exception {
		HttpResponse<String> response = send(request("/Condition")
				.header("Content-Type", "application/fhir+json")
				.POST(HttpRequest.BodyPublishers.ofString(
						"{\"resourceType\":\"Condition\",\"subject\":{\"reference\":\"Patient/x\"}}")));

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(outcome(response).getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
		assertThat(outcome(response).getIssueFirstRep().getDiagnostics()).contains("Unknown resource type 'Condition'");
	}

	@Test
	void aTransactionWithAnEntryOfAnotherTypeAnswers400AndStoresNoEntry() throws Exception {
		String family = "Served-" + UUID.randomUUID();
		String transaction = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
				+ "{\"resource\":{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family + "\"}]},"
				+ "\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},"
				+ "{\"resource\":{\"resourceType\":\"Basic\",\"code\":{\"text\":\"x\"}},"
				+ "\"request\":{\"method\":\"POST\",\"url\":\"Basic\"}}]}";

		HttpResponse<String> response = send(request("")
				.header("Content-Type", "application/fhir+json")
				.POST(HttpRequest.BodyPublishers.ofString(transaction)));

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(outcome(response).getIssueFirstRep().getDiagnostics())
				.contains("Resource Basic is not supported on this server");
		Bundle found = client().search()
				.forResource(Patient.class)
				.where(Patient.FAMILY.matchesExactly().value(family))
				.returnBundle(Bundle.class)
				.execute();
		assertThat(found.getEntry()).isEmpty();
	}

	private OperationOutcome outcome(HttpResponse<String> response) {
		return fhirContext.newJsonParser().parseResource(OperationOutcome.class, response.body());
	}
}
