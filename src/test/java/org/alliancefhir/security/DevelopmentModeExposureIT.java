package org.alliancefhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.alliancefhir.server.ServerIntegrationTest;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;

/**
 * Without authentication (development mode) clients still cannot write the audit trail, and the health endpoint,
 * open to anyone, tells the status of each part but not the database product or the data directory.
 */
class DevelopmentModeExposureIT extends ServerIntegrationTest {

	@Test
	void aClientCannotCreateAnAuditEvent() throws Exception {
		HttpResponse<String> response = send(request("/AuditEvent")
				.header("Content-Type", "application/fhir+json")
				.POST(HttpRequest.BodyPublishers.ofString(json(forgedEvent()))));

		assertRefused(response);
	}

	@Test
	void aClientCannotUpdateOrDeleteAnAuditEvent() throws Exception {
		AuditEvent forged = forgedEvent();
		forged.setId("forged-by-client");

		assertRefused(send(request("/AuditEvent/forged-by-client")
				.header("Content-Type", "application/fhir+json")
				.PUT(HttpRequest.BodyPublishers.ofString(json(forged)))));
		assertRefused(send(request("/AuditEvent/forged-by-client").DELETE()));
	}

	@Test
	void aClientCannotSlipAnAuditEventIntoATransaction() throws Exception {
		AuditEvent forged = forgedEvent();
		forged.setId("forged-in-transaction");
		Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		transaction
				.addEntry()
				.setResource(forged)
				.getRequest()
				.setMethod(Bundle.HTTPVerb.PUT)
				.setUrl("AuditEvent/forged-in-transaction");

		HttpResponse<String> response = send(request("")
				.header("Content-Type", "application/fhir+json")
				.POST(HttpRequest.BodyPublishers.ofString(json(transaction))));

		assertRefused(response);
		assertThat(send(request("/AuditEvent/forged-in-transaction")).statusCode())
				.isEqualTo(404);
	}

	@Test
	void theHealthEndpointShowsStatusesButNoDetails() throws Exception {
		HttpResponse<String> response =
				send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body())
				.contains("\"status\":\"UP\"")
				.contains("\"db\":{\"status\":\"UP\"}")
				.doesNotContain("\"database\"", "H2", "\"path\"", "\"total\"", "\"free\"");
	}

	private void assertRefused(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
		OperationOutcome outcome = fhirContext.newJsonParser().parseResource(OperationOutcome.class, response.body());
		assertThat(outcome.getIssueFirstRep().getDiagnostics()).isEqualTo(AuditTrailWriteGuard.MESSAGE);
	}

	private String json(org.hl7.fhir.instance.model.api.IBaseResource resource) {
		return fhirContext.newJsonParser().encodeResourceToString(resource);
	}

	private static AuditEvent forgedEvent() {
		AuditEvent forged = new AuditEvent();
		forged.setAction(AuditEvent.AuditEventAction.R);
		forged.setRecorded(new java.util.Date());
		forged.getType()
				.setSystem("http://dicom.nema.org/resources/ontology/DCM")
				.setCode("110112");
		forged.getSource().getObserver().setDisplay("forger");
		return forged;
	}
}
