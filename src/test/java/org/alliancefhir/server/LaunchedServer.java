package org.alliancefhir.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.util.Map;
import java.util.stream.Stream;
import org.alliancefhir.Application;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A server started in-process with its own properties (a fresh database, say) for tests that must not share the
 * common test context; closing it stops the server and releases its database connections.
 */
public final class LaunchedServer implements AutoCloseable {

	private final ConfigurableApplicationContext context;
	private final int port;

	private LaunchedServer(ConfigurableApplicationContext context) {
		this.context = context;
		this.port =
				((ServletWebServerApplicationContext) context).getWebServer().getPort();
	}

	/**
	 * Starts the application on a random port with the test profile; the given properties are passed as command-line
	 * arguments, so they win over every configuration file.
	 */
	public static LaunchedServer start(Map<String, Object> properties) {
		Stream<String> arguments = Stream.concat(
				Stream.of("--server.port=0"),
				properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()));
		ConfigurableApplicationContext context =
				new SpringApplicationBuilder(Application.class).profiles("test").run(arguments.toArray(String[]::new));
		return new LaunchedServer(context);
	}

	public String baseUrl() {
		return "http://localhost:" + port + "/fhir";
	}

	public int port() {
		return port;
	}

	public IGenericClient client() {
		FhirContext fhirContext = context.getBean(FhirContext.class);
		fhirContext.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
		return fhirContext.newRestfulGenericClient(baseUrl());
	}

	public <T> T bean(Class<T> type) {
		return context.getBean(type);
	}

	@Override
	public void close() {
		context.close();
	}
}
