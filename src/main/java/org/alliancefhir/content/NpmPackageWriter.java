package org.alliancefhir.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Publishes the content of {@code profiles/} as a FHIR NPM package: {@code package/package.json} from a template,
 * {@code package/.index.json} and every resource file; the build runs it in the {@code package} phase.
 *
 * @see <a href="https://confluence.hl7.org/display/FHIR/NPM+Package+Specification">FHIR NPM package specification</a>
 */
public final class NpmPackageWriter {

	private static final ObjectMapper JSON = new ObjectMapper();
	private static final DateTimeFormatter PACKAGE_DATE =
			DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
	private static final List<String> INDEXED_FIELDS = List.of("id", "url", "version", "kind", "type");

	private final Path contentDir;
	private final Path template;
	private final String version;
	private final Instant timestamp;

	NpmPackageWriter(Path contentDir, Path template, String version, Instant timestamp) {
		this.contentDir = contentDir;
		this.template = template;
		this.version = version;
		this.timestamp = timestamp;
	}

	/**
	 * Writes the package.
	 *
	 * @param args the content folder, the {@code package.json} template, the package version, the build's output
	 *     timestamp (ISO-8601 or epoch seconds, as in {@code project.build.outputTimestamp}) and the {@code .tgz} to
	 *     write
	 */
	public static void main(String[] args) throws IOException {
		if (args.length != 5) {
			throw new IllegalArgumentException("usage: NpmPackageWriter <content dir> <package.json template> <version>"
					+ " <output timestamp> <target .tgz>");
		}
		Instant timestamp =
				args[3].matches("\\d+") ? Instant.ofEpochSecond(Long.parseLong(args[3])) : Instant.parse(args[3]);
		Path target = Path.of(args[4]);
		int resources = new NpmPackageWriter(Path.of(args[0]), Path.of(args[1]), args[2], timestamp).write(target);
		System.out.println("FHIR NPM package " + target + ": " + resources + " resources");
	}

	/** Writes the {@code .tgz} and returns the number of resources in it. */
	int write(Path target) throws IOException {
		List<Path> files = contentFiles();
		Files.createDirectories(target.toAbsolutePath().getParent());
		GzipParameters gzip = new GzipParameters();
		gzip.setModificationTime(timestamp.toEpochMilli());
		try (OutputStream out = Files.newOutputStream(target);
				TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out, gzip))) {
			tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
			add(tar, "package.json", packageJson());
			add(tar, ".index.json", index(files));
			for (Path file : files) {
				add(tar, file.getFileName().toString(), Files.readAllBytes(file));
			}
		}
		return files.size();
	}

	private List<Path> contentFiles() throws IOException {
		try (Stream<Path> files = Files.list(contentDir)) {
			return files.filter(f -> f.getFileName().toString().endsWith(".json"))
					.sorted()
					.toList();
		}
	}

	/** The template with {@code version} and {@code date} (yyyyMMddHHmmss, UTC) after {@code name}. */
	private byte[] packageJson() throws IOException {
		JsonNode fields = JSON.readTree(template.toFile());
		ObjectNode packageJson = JSON.createObjectNode();
		packageJson.set("name", fields.required("name"));
		packageJson.put("version", version);
		packageJson.put("date", PACKAGE_DATE.format(timestamp));
		fields.properties().stream()
				.filter(field -> !packageJson.has(field.getKey()))
				.forEach(field -> packageJson.set(field.getKey(), field.getValue()));
		return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(packageJson);
	}

	/** Index version 1: file name, resource type, id, and url, version, kind and type where the resource has them. */
	private byte[] index(List<Path> files) throws IOException {
		ObjectNode index = JSON.createObjectNode();
		index.put("index-version", 1);
		ArrayNode entries = index.putArray("files");
		for (Path file : files) {
			JsonNode resource = JSON.readTree(file.toFile());
			ObjectNode entry = entries.addObject();
			entry.put("filename", file.getFileName().toString());
			entry.set("resourceType", resource.required("resourceType"));
			for (String field : INDEXED_FIELDS) {
				if (resource.path(field).isTextual()) {
					entry.set(field, resource.get(field));
				}
			}
			if (!entry.has("id")) {
				throw new IllegalStateException(file + " has no id");
			}
		}
		return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(index);
	}

	/** Sorted entries stamped with the build's output timestamp: the same content gives the same bytes. */
	private void add(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
		TarArchiveEntry entry = new TarArchiveEntry("package/" + name);
		entry.setSize(content.length);
		entry.setMode(0100644);
		entry.setLastModifiedTime(FileTime.from(timestamp));
		tar.putArchiveEntry(entry);
		tar.write(content);
		tar.closeArchiveEntry();
	}
}
