package org.alliancefhir.content;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The build publishes {@code profiles/} as a FHIR NPM package that HAPI can read. */
class NpmPackageIT {

	private static final FhirContext FHIR = FhirContext.forR4Cached();
	private static final ObjectMapper JSON = new ObjectMapper();
	private static final Path PROFILES = Path.of("profiles");
	private static final String BASE = "https://alliancefhir.org/fhir";

	private static String version;
	private static byte[] tgz;
	private static Map<String, byte[]> entries;

	@BeforeAll
	static void readThePackage() throws IOException {
		Properties build = new Properties();
		try (InputStream in = NpmPackageIT.class.getResourceAsStream("/META-INF/build-info.properties")) {
			build.load(in);
		}
		version = build.getProperty("build.version");
		tgz = Files.readAllBytes(Path.of("target", "alliance-fhir-profiles-" + version + ".tgz"));
		entries = new TreeMap<>();
		try (TarArchiveInputStream tar =
				new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(tgz)))) {
			for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
				entries.put(entry.getName(), tar.readAllBytes());
			}
		}
	}

	@Test
	void packageJsonNamesThePackageItsVersionFhirVersionAndDependencies() throws IOException {
		JsonNode packageJson = JSON.readTree(entries.get("package/package.json"));

		assertThat(packageJson.path("name").asText()).isEqualTo("alliancefhir.profiles");
		assertThat(packageJson.path("version").asText()).isEqualTo(version);
		assertThat(packageJson.path("fhirVersions"))
				.containsExactly(JSON.getNodeFactory().textNode("4.0.1"));
		assertThat(packageJson.path("type").asText()).isEqualTo("IG");
		assertThat(packageJson.path("canonical").asText()).isEqualTo(BASE);
		assertThat(packageJson.path("license").asText()).isEqualTo("CC-BY-4.0");
		assertThat(packageJson.path("date").asText()).matches("\\d{14}");
		assertThat(packageJson.path("title").asText()).isNotBlank();
		assertThat(packageJson.path("author").asText()).isNotBlank();
		assertThat(packageJson.path("description").asText()).contains("copyright holders keep all their rights");
		assertThat(JSON.convertValue(packageJson.path("dependencies"), new TypeReference<Map<String, String>>() {}))
				.containsExactlyInAnyOrderEntriesOf(Map.of(
						"hl7.fhir.r4.core", "4.0.1",
						"hl7.fhir.uv.sdc", "4.0.0-ballot",
						"hl7.fhir.uv.extensions.r4", "5.3.0-ballot-tc1"));
	}

	@Test
	void everyProfilesFileIsInThePackageUnchanged() throws IOException {
		List<Path> files = profilesFiles();

		assertThat(entries.keySet())
				.containsExactlyInAnyOrderElementsOf(Stream.concat(
								Stream.of("package/package.json", "package/.index.json"),
								files.stream().map(f -> "package/" + f.getFileName()))
						.toList());
		for (Path file : files) {
			assertThat(entries.get("package/" + file.getFileName()))
					.as(file.toString())
					.isEqualTo(Files.readAllBytes(file));
		}
	}

	@Test
	void indexListsEveryResourceWithItsTypeIdUrlVersionKindAndType() throws IOException {
		JsonNode index = JSON.readTree(entries.get("package/.index.json"));
		List<Map<String, String>> listed =
				JSON.convertValue(index.path("files"), new TypeReference<List<Map<String, String>>>() {});

		assertThat(index.path("index-version").asInt()).isEqualTo(1);
		assertThat(listed)
				.containsExactlyInAnyOrderElementsOf(profilesFiles().stream()
						.map(NpmPackageIT::expectedIndexEntry)
						.toList());
	}

	@Test
	void hapiReadsThePackageAndItsConformanceResources() throws IOException {
		NpmPackage npm = NpmPackage.fromPackage(new ByteArrayInputStream(tgz));
		PrePopulatedValidationSupport support = new PrePopulatedValidationSupport(FHIR);
		for (String file : npm.list("package")) {
			try (InputStream in = npm.load("package", file)) {
				support.addResource(FHIR.newJsonParser().parseResource(in));
			}
		}

		assertThat(npm.name()).isEqualTo("alliancefhir.profiles").matches(NpmPackage::isValidName);
		assertThat(npm.version()).isEqualTo(version).matches(NpmPackage::isValidVersion);
		assertThat(npm.fhirVersion()).isEqualTo("4.0.1");
		assertThat(npm.canonical()).isEqualTo(BASE);
		assertThat(npm.dependencies())
				.containsExactlyInAnyOrder(
						"hl7.fhir.r4.core#4.0.1",
						"hl7.fhir.uv.sdc#4.0.0-ballot",
						"hl7.fhir.uv.extensions.r4#5.3.0-ballot-tc1");
		assertThat(npm.listResources("Questionnaire")).hasSize(12);
		assertThat(npm.list("package")).hasSameSizeAs(profilesFiles());
		assertThat(support.fetchStructureDefinition(BASE + "/StructureDefinition/alliance-score-observation"))
				.isNotNull();
		assertThat(List.of("score-questionnaire", "rater-perspective")).allSatisfy(id -> assertThat(
						((StructureDefinition) support.fetchStructureDefinition(BASE + "/StructureDefinition/" + id))
								.getType())
				.isEqualTo("Extension"));
		assertThat(support.fetchCodeSystem(BASE + "/CodeSystem/alliance")).isNotNull();
		assertThat(support.fetchValueSet(BASE + "/ValueSet/alliance-scores")).isNotNull();
	}

	private static Map<String, String> expectedIndexEntry(Path file) {
		IBaseResource resource;
		try {
			resource = FHIR.newJsonParser().parseResource(Files.readString(file));
		} catch (IOException e) {
			throw new IllegalStateException(e);
		}
		Map<String, String> entry = new LinkedHashMap<>();
		entry.put("filename", file.getFileName().toString());
		entry.put("resourceType", resource.fhirType());
		entry.put("id", resource.getIdElement().getIdPart());
		if (resource instanceof MetadataResource canonical && canonical.hasUrl()) {
			entry.put("url", canonical.getUrl());
		}
		if (resource instanceof MetadataResource canonical && canonical.hasVersion()) {
			entry.put("version", canonical.getVersion());
		}
		// kind and type as text; OperationDefinition.type is a flag, not a resource type, and is not indexed
		for (String element : List.of("kind", "type")) {
			BaseRuntimeChildDefinition child =
					FHIR.getResourceDefinition(resource).getChildByName(element);
			if (child != null
					&& child.getAccessor().getFirstValueOrNull(resource).orElse(null) instanceof IPrimitiveType<?> code
					&& !(code.getValue() instanceof Boolean)) {
				entry.put(element, code.getValueAsString());
			}
		}
		return entry;
	}

	private static List<Path> profilesFiles() throws IOException {
		try (Stream<Path> files = Files.list(PROFILES)) {
			return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
		}
	}
}
