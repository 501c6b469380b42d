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

/**
 * docker-compose.yml and the Dockerfile configure the server only through settings application.yaml reads, and run
 * several nodes of it on one database behind a reverse proxy.
 */
class DockerComposeTests {

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
	private static final Pattern PORT_DEFAULT = Pattern.compile("\\$\\{PORT:(\\d+)}");
	private static final Pattern UPSTREAM_SERVER = Pattern.compile("(?m)^\\s*server\\s+([\\w.-]+:\\d+)");

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
		assertThat(publishedPorts()).isNotEmpty().allSatisfy(mapping -> assertThat(mapping)
				.startsWith("127.0.0.1:"));
	}

	@Test
	void runsSeveralNodesWithTheSameSettings() {
		List<String> nodes = nodes();

		assertThat(nodes).hasSizeGreaterThanOrEqualTo(2).contains("fhir");
		nodes.forEach(node -> {
			assertThat(environment(node)).as(node).isEqualTo(environment("fhir"));
			assertThat(service(node).get("image"))
					.as(node)
					.isEqualTo(service("fhir").get("image"));
			assertThat(service(node)).as("a node publishes no port of its own").doesNotContainKey("ports");
		});
	}

	@Test
	void startsOneNodeAtATimeSoOnlyOneCreatesTheSchemaAndInstallsTheContent() {
		List<String> nodes = nodes();

		for (int i = 1; i < nodes.size(); i++) {
			Map<String, Object> dependsOn = map(service(nodes.get(i)).get("depends_on"));
			assertThat(map(dependsOn.get(nodes.get(i - 1))))
					.as(nodes.get(i))
					.containsEntry("condition", "service_healthy");
		}
	}

	@Test
	void sendsRequestsToEveryNodeThroughTheProxy() throws IOException {
		Matcher port = PORT_DEFAULT.matcher(applicationYaml);
		assertThat(port.find()).isTrue();
		String config = Files.readString(proxyConfig());
		Set<String> upstreams = new TreeSet<>();
		Matcher server = UPSTREAM_SERVER.matcher(config);
		while (server.find()) {
			upstreams.add(server.group(1));
		}

		assertThat(upstreams)
				.containsExactlyInAnyOrderElementsOf(
						nodes().stream().map(node -> node + ":" + port.group(1)).toList());
		Map<String, Object> dependsOn = map(service("proxy").get("depends_on"));
		nodes().forEach(node -> assertThat(map(dependsOn.get(node))).containsEntry("condition", "service_healthy"));
		Matcher listen = Pattern.compile("listen\\s+(\\d+);").matcher(config);
		assertThat(listen.find()).isTrue();
		assertThat((List<?>) service("proxy").get("ports"))
				.map(String::valueOf)
				.anySatisfy(mapping -> assertThat(mapping).endsWith(":" + listen.group(1)));
	}

	@Test
	void runsTheImageAsANonRootUser() {
		List<String> users = instructions("USER");

		assertThat(users).isNotEmpty();
		assertThat(users.get(users.size() - 1)).isNotIn("root", "0", "0:0", "root:root");
	}

	@Test
	void exposesThePortTheServerListensOn() {
		Matcher port = PORT_DEFAULT.matcher(applicationYaml);
		assertThat(port.find())
				.as("application.yaml sets server.port from ${PORT:<default>}")
				.isTrue();
		assertThat(environment("fhir")).doesNotContainKey("PORT");

		assertThat(instructions("EXPOSE")).contains(port.group(1));
	}

	/** The services that run the server image: those built from the Dockerfile. */
	private static List<String> nodes() {
		return services().keySet().stream()
				.filter(name -> map(services().get(name)).containsKey("build"))
				.toList();
	}

	private static List<String> publishedPorts() {
		return services().values().stream()
				.map(service -> (List<?>) map(service).getOrDefault("ports", List.of()))
				.flatMap(List::stream)
				.map(String::valueOf)
				.toList();
	}

	/** The proxy's configuration file on the host, from its volume mounted over nginx's default server. */
	private static Path proxyConfig() {
		List<?> volumes = (List<?>) service("proxy").get("volumes");
		String mount = volumes.stream()
				.map(String::valueOf)
				.filter(volume -> volume.contains("/etc/nginx/"))
				.findFirst()
				.orElseThrow();
		Path config = Path.of(mount.split(":")[0]);
		assertThat(config).exists();
		return config;
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
