package org.alliancefhir.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Enumerations.FHIRVersion;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/** The server behaves as a plain FHIR R4 REST server: capabilities, CRUD, search, transactions and errors. */
class FhirServerIT extends ServerIntegrationTest {

	@Test
	void capabilityStatementNamesTheSoftwareAndItsResources() {
		CapabilityStatement capabilities =
				client().capabilities().ofType(CapabilityStatement.class).execute();

		assertThat(capabilities.getSoftware().getName()).isEqualTo("Alliance FHIR Server");
		assertThat(capabilities.getSoftware().getVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
		assertThat(capabilities.getImplementation().getDescription()).contains("therapeutic-alliance");
		assertThat(capabilities.getFhirVersion()).isEqualTo(FHIRVersion._4_0_1);
		assertThat(capabilities.getRestFirstRep().getResource())
				.extracting(CapabilityStatement.CapabilityStatementRestResourceComponent::getType)
				.contains("Questionnaire", "QuestionnaireResponse", "Observation", "Patient");
	}

	@Test
	void createsReadsUpdatesAndDeletesAPatient() {
		String family = "Family-" + UUID.randomUUID();
		MethodOutcome created = client().create().resource(patient(family)).execute();
		IdType id = (IdType) created.getId().toUnqualifiedVersionless();

		Patient read = client().read().resource(Patient.class).withId(id).execute();
		assertThat(read.getNameFirstRep().getFamily()).isEqualTo(family);
		assertThat(read.getMeta().getVersionId()).isEqualTo("1");

		read.getNameFirstRep().setFamily(family + "-renamed");
		MethodOutcome updated = client().update().resource(read).execute();
		assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");

		client().delete().resourceById(id).execute();
		assertThatThrownBy(
						() -> client().read().resource(Patient.class).withId(id).execute())
				.isInstanceOf(ResourceGoneException.class);
	}

	@Test
	void searchFindsPatientsByFamilyName() {
		String family = "Search-" + UUID.randomUUID();
		client().create().resource(patient(family)).execute();
		client().create().resource(patient(family)).execute();

		Bundle found = client().search()
				.forResource(Patient.class)
				.where(Patient.FAMILY.matchesExactly().value(family))
				.returnBundle(Bundle.class)
				.execute();

		assertThat(found.getTotal()).isEqualTo(2);
		assertThat(found.getEntry()).allSatisfy(e -> assertThat(
						((Patient) e.getResource()).getNameFirstRep().getFamily())
				.isEqualTo(family));
	}

	@Test
	void transactionBundleCreatesAllEntriesAndResolvesPlaceholders() {
		String family = "Tx-" + UUID.randomUUID();
		Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		Patient mother = patient(family);
		transaction
				.addEntry()
				.setFullUrl("urn:uuid:" + UUID.randomUUID())
				.setResource(mother)
				.getRequest()
				.setMethod(Bundle.HTTPVerb.POST)
				.setUrl("Patient");
		Patient child = patient(family);
		child.addLink()
				.setType(Patient.LinkType.SEEALSO)
				.getOther()
				.setReference(transaction.getEntryFirstRep().getFullUrl());
		transaction
				.addEntry()
				.setResource(child)
				.getRequest()
				.setMethod(Bundle.HTTPVerb.POST)
				.setUrl("Patient");

		Bundle response = client().transaction().withBundle(transaction).execute();

		assertThat(response.getEntry())
				.hasSize(2)
				.allSatisfy(e -> assertThat(e.getResponse().getStatus()).startsWith("201"));
		Patient storedChild = client().read()
				.resource(Patient.class)
				.withUrl(response.getEntry().get(1).getResponse().getLocation())
				.execute();
		assertThat(storedChild.getLinkFirstRep().getOther().getReference())
				.isEqualTo(new IdType(response.getEntry().get(0).getResponse().getLocation())
						.toUnqualifiedVersionless()
						.getValue());
	}

	@Test
	void malformedJsonIsRejectedWith400AndAnOperationOutcome() throws Exception {
		HttpResponse<String> response = send(request("/Patient")
				.header("Content-Type", "application/fhir+json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"resourceType\": \"Patient\", \"name\": [")));

		assertThat(response.statusCode()).isEqualTo(400);
		OperationOutcome outcome = fhirContext.newJsonParser().parseResource(OperationOutcome.class, response.body());
		assertThat(outcome.getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
		assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("Failed to parse");
	}

	@Test
	void corsPreflightFromAConfiguredOriginExposesLocationAndEtag() throws Exception {
		HttpResponse<String> response = send(request("/Patient")
				.header("Origin", "https://ehr.example.org")
				.header("Access-Control-Request-Method", "POST")
				.method("OPTIONS", HttpRequest.BodyPublishers.noBody()));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://ehr.example.org");

		HttpResponse<String> get = send(request("/metadata").header("Origin", "https://ehr.example.org"));
		assertThat(get.headers().firstValue("Access-Control-Expose-Headers").orElse(""))
				.contains("Location")
				.contains("ETag");
	}

	@Test
	void corsRefusesAnUnknownOrigin() throws Exception {
		HttpResponse<String> response = send(request("/Patient")
				.header("Origin", "https://evil.example.com")
				.header("Access-Control-Request-Method", "POST")
				.method("OPTIONS", HttpRequest.BodyPublishers.noBody()));

		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
	}

	@Test
	void largeResponsesAreCompressedWhenTheClientAcceptsGzip() throws Exception {
		HttpResponse<String> response = send(request("/metadata").header("Accept-Encoding", "gzip"));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
	}

	@Test
	void searchesArePagedByTwentyByDefault() {
		String family = "Paging-" + UUID.randomUUID();
		for (int i = 0; i < 23; i++) {
			client().create().resource(patient(family)).execute();
		}

		Bundle firstPage = client().search()
				.forResource(Patient.class)
				.where(Patient.FAMILY.matchesExactly().value(family))
				.returnBundle(Bundle.class)
				.execute();

		assertThat(firstPage.getEntry()).hasSize(20);
		assertThat(firstPage.getLink(Bundle.LINK_NEXT)).isNotNull();
		Bundle secondPage = client().loadPage().next(firstPage).execute();
		assertThat(secondPage.getEntry()).hasSize(3);
	}

	@Test
	void healthEndpointReportsTheDatabaseUp() throws Exception {
		HttpResponse<String> response = send(java.net.http.HttpRequest.newBuilder(
				java.net.URI.create("http://localhost:" + port + "/actuator/health")));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"status\":\"UP\"").contains("\"db\"");
	}

	@Test
	void outboxHealthGroupShowsTheCountsOfWaitingWork() throws Exception {
		awaitFeedback();
		HttpResponse<String> response = send(java.net.http.HttpRequest.newBuilder(
				java.net.URI.create("http://localhost:" + port + "/actuator/health/outbox")));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body())
				.contains("\"feedbackOutbox\"")
				.contains("\"pending\":0")
				.contains("\"failed\":")
				.contains("\"auditPending\":");
	}

	private static Patient patient(String family) {
		Patient patient = new Patient();
		patient.addName().setFamily(family);
		return patient;
	}
}
