package org.alliancefhir.extraction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Asks a (local stand-in) terminology server to expand a ValueSet: the expansion, unknown, or the server failing. */
class TerminologyServerTests {

	private static final FhirContext FHIR = FhirContext.forR4Cached();

	private HttpServer server;
	private final AtomicReference<String> requested = new AtomicReference<>();
	private volatile int status = 200;

	@BeforeEach
	void start() throws IOException {
		server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/fhir/ValueSet/$expand", exchange -> {
			requested.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
			ValueSet expansion = new ValueSet();
			expansion.getExpansion().addContains().setSystem("http://loinc.org").setCode("LA6568-5");
			byte[] body = FHIR.newJsonParser().encodeResourceToString(expansion).getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
			exchange.sendResponseHeaders(status, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		server.start();
	}

	@AfterEach
	void stop() {
		server.stop(0);
	}

	@Test
	void returnsTheExpansionOfTheNamedValueSet() {
		ValueSet expansion =
				terminologyServer().expand("http://loinc.org/vs/LL358-3").orElseThrow();

		assertThat(expansion.getExpansion().getContainsFirstRep().getCode()).isEqualTo("LA6568-5");
		assertThat(requested.get()).contains("http://loinc.org/vs/LL358-3");
	}

	@Test
	void aValueSetTheServerDoesNotKnowIsEmpty() {
		status = 404;

		assertThat(terminologyServer().expand("http://loinc.org/vs/LL0000-0")).isEmpty();
	}

	@Test
	void aFailingServerIsReportedWithItsAddress() {
		status = 500;

		assertThatThrownBy(() -> terminologyServer().expand("http://loinc.org/vs/LL358-3"))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("the terminology server http://127.0.0.1:"
						+ server.getAddress().getPort());
	}

	private TerminologyServer terminologyServer() {
		return new TerminologyServer(
				FHIR, "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir");
	}
}
