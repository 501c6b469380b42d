package org.alliancefhir.content;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/** Reads and parses every {@code *.json} file of a content location, strictly: unknown elements are errors. */
class ContentReader {

	private final FhirContext fhirContext;
	private final PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();

	ContentReader(FhirContext fhirContext) {
		this.fhirContext = fhirContext;
	}

	/**
	 * Reads a location such as {@code classpath:profiles/} or {@code file:/etc/alliance/wording/}.
	 *
	 * @throws InvalidContentException naming every file that does not parse
	 */
	List<ContentFile> read(String location) {
		Resource[] files = findJsonFiles(location);
		Arrays.sort(files, Comparator.comparing(Resource::getFilename));
		List<ContentFile> content = new ArrayList<>();
		List<String> problems = new ArrayList<>();
		for (Resource file : files) {
			try (InputStream in = file.getInputStream()) {
				String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
				content.add(new ContentFile(file.getFilename(), strictParser().parseResource(json)));
			} catch (IOException | DataFormatException e) {
				problems.add(file.getFilename() + ": " + e.getMessage());
			}
		}
		if (!problems.isEmpty()) {
			throw new InvalidContentException(problems);
		}
		return content;
	}

	private Resource[] findJsonFiles(String location) {
		String base = location.endsWith("/") ? location : location + "/";
		try {
			return resolver.getResources(base + "*.json");
		} catch (IOException e) {
			throw new InvalidContentException("cannot list " + location + ": " + e.getMessage());
		}
	}

	private IParser strictParser() {
		IParser parser = fhirContext.newJsonParser();
		parser.setParserErrorHandler(new StrictErrorHandler());
		return parser;
	}
}
