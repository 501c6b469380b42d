package org.alliancefhir.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** docker-compose.yml and the Dockerfile configure the server only through settings application.yaml reads. */
class DockerComposeTests {

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
	private static final Pattern PORT_DEFAULT = Pattern.compile("\\$\\{PORT:(\\d+)}");

	private static String applicationYaml;
	private static Map<String, Object> compose;
	private static List<String> runtimeStage;

	@BeforeAll
	static void readConfiguration() throws IOException {
		applicationYaml = Files.readString(Path.of("src/main/resources/application.yaml"));
		compose = new Yaml().load(Files.readString(Path.of("docker-compose.yml")));
		List<String> dockerfile = Files.readAllLines(Path.of("Dockerfile"));
		int lastFrom = 0;
		for (int i = 0; i < dockerfile.size(); i++) {
			if (dockerfile.get(i).trim().toUpperCase().startsWith("FROM ")) {
				lastFrom = i;
			}
		}
		runtimeStage = dockerfile.subList(lastFrom, dockerfile.size());
	}

	@Test
	void setsOnlyVariablesTheApplicationReads() {
		Set<String> read = new TreeSet<>();
		Matcher matcher = PLACEHOLDER.matcher(applicationYaml);
		while (matcher.find()) {
			read.add(matcher.group(1));
		}

		assertThat(read).containsAll(environment("fhir").keySet());
	}

	@Test
	void pointsTheServerAtTheDatabaseOfTheDbService() {
		String jdbcUrl = environment("fhir").get("DB_URL");
		assertThat(jdbcUrl).startsWith("jdbc:postgresql://");
		URI url = URI.create(jdbcUrl.substring("jdbc:".length()));

		assertThat(url.getHost()).isEqualTo("db");
		assertThat(services()).containsKey(url.getHost());
		assertThat(url.getPort()).isIn(-1, 5432);
		assertThat(url.getPath()).isEqualTo("/" + environment("db").get("POSTGRES_DB"));
	}

	@Test
	void logsInWithTheUserAndPasswordTheDatabaseWasCreatedWith() {
		Map<String, String> db = environment("db");
		Map<String, String> fhir = environment("fhir");

		assertThat(fhir.get("DB_USER")).isNotBlank().isEqualTo(db.get("POSTGRES_USER"));
		assertThat(fhir.get("DB_PASSWORD")).isNotBlank().isEqualTo(db.get("POSTGRES_PASSWORD"));
	}

	@Test
	void usesHapisPostgresDialect() {
		String dialect = environment("fhir").get("HIBERNATE_DIALECT");

		assertThat(dialect).isEqualTo("ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect");
		assertThatCode(() -> Class.forName(dialect)).doesNotThrowAnyException();
	}

	@Test
	void startsTheServerOnlyOnceTheDatabaseIsHealthy() {
		Map<String, Object> dependsOn = map(service("fhir").get("depends_on"));

		assertThat(map(dependsOn.get("db"))).containsEntry("condition", "service_healthy");
		assertThat(map(service("db").get("healthcheck"))).containsKey("test");
	}

	@Test
	void keepsTheDatabaseInADeclaredNamedVolume() {
		List<?> volumes = (List<?>) service("db").get("volumes");
		assertThat(volumes).isNotEmpty();
		String source = String.valueOf(volumes.get(0)).split(":")[0];

		assertThat(source).doesNotStartWith("/").doesNotStartWith(".");
		assertThat(map(compose.get("volumes"))).containsKey(source);
	}

	@Test
	void listensOnAllInterfacesInsideTheContainer() {
		assertThat(environment("fhir")).containsEntry("SERVER_ADDRESS", "0.0.0.0");
	}

	@Test
	void listensOnLoopbackOnlyByDefault() {
		assertThat(applicationYaml).contains("address: ${SERVER_ADDRESS:127.0.0.1}");
	}

	@Test
	void publishesAnUnauthenticatedServerOnTheHostsLoopbackOnly() {
		Map<String, String> fhir = environment("fhir");
		if (!fhir.getOrDefault("ALLIANCE_SECURITY_ISSUER", "").isBlank()) {
			return;
		}
		assertThat(fhir).containsEntry("ALLIANCE_SECURITY_ALLOW_UNAUTHENTICATED_NETWORK", "true");
		assertThat((List<?>) service("fhir").get("ports"))
				.map(String::valueOf)
				.allSatisfy(mapping -> assertThat(mapping).startsWith("127.0.0.1:"));
	}

	@Test
	void runsTheImageAsANonRootUser() {
		List<String> users = instructions("USER");

		assertThat(users).isNotEmpty();
		assertThat(users.get(users.size() - 1)).isNotIn("root", "0", "0:0", "root:root");
	}

	@Test
	void exposesAndPublishesThePortTheServerListensOn() {
		Matcher port = PORT_DEFAULT.matcher(applicationYaml);
		assertThat(port.find())
				.as("application.yaml sets server.port from ${PORT:<default>}")
				.isTrue();
		assertThat(environment("fhir")).doesNotContainKey("PORT");

		assertThat(instructions("EXPOSE")).contains(port.group(1));
		assertThat((List<?>) service("fhir").get("ports"))
				.map(String::valueOf)
				.anySatisfy(mapping -> assertThat(mapping).endsWith(":" + port.group(1)));
	}

	private static List<String> instructions(String keyword) {
		return runtimeStage.stream()
				.map(String::trim)
				.filter(line -> line.toUpperCase().startsWith(keyword + " "))
				.map(line -> line.substring(keyword.length()).trim())
				.toList();
	}

	private static Map<String, Object> services() {
		return map(compose.get("services"));
	}

	private static Map<String, Object> service(String name) {
		return map(services().get(name));
	}

	/** The service's environment, written either as a map or as a list of {@code NAME=value}. */
	private static Map<String, String> environment(String serviceName) {
		Object environment = service(serviceName).get("environment");
		Map<String, String> variables = new LinkedHashMap<>();
		if (environment instanceof List<?> list) {
			for (Object entry : list) {
				String[] parts = String.valueOf(entry).split("=", 2);
				variables.put(parts[0], parts.length > 1 ? parts[1] : "");
			}
		} else {
			map(environment).forEach((name, value) -> variables.put(name, value == null ? "" : String.valueOf(value)));
		}
		return variables;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object node) {
		assertThat(node).isInstanceOf(Map.class);
		return (Map<String, Object>) node;
	}
}
