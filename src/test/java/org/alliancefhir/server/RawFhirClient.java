package org.alliancefhir.server;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;

/**
 * A thin HTTP/1.1 FHIR client over {@code java.net.http} for the robustness tests: it shows every status code as it
 * is (the generic client turns them into exceptions), reads counts past the search cache, and pages through whole
 * result sets.
 */
final class RawFhirClient {

	static final String JSON = "application/fhir+json";

	private final String baseUrl;
	private final HttpClient http;
	private final FhirContext fhirContext = FhirContext.forR4Cached();

	RawFhirClient(String baseUrl) {
		this.baseUrl = baseUrl;
		this.http = HttpClient.newBuilder()
				.version(HttpClient.Version.HTTP_1_1)
				.connectTimeout(Duration.ofSeconds(5))
				.build();
	}

	HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
		return send(request(path)
				.header("Content-Type", JSON)
				.header("Prefer", "return=minimal")
				.POST(BodyPublishers.ofString(json)));
	}

	HttpResponse<String> put(String path, String json) throws IOException, InterruptedException {
		return send(request(path)
				.header("Content-Type", JSON)
				.header("Prefer", "return=minimal")
				.PUT(BodyPublishers.ofString(json)));
	}

	HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return send(request(path).GET());
	}

	/** Puts the resource and fails unless the server stores it. */
	void store(String path, String json) throws IOException, InterruptedException {
		HttpResponse<String> response = put(path, json);
		if (response.statusCode() != 200 && response.statusCode() != 201) {
			throw new IllegalStateException("PUT " + path + " gave " + response.statusCode() + ": " + response.body());
		}
	}

	/** Every resource the search finds, following {@code next} links, past the search cache. */
	<T extends IBaseResource> List<T> all(String search, Class<T> type) throws IOException, InterruptedException {
		List<T> found = new ArrayList<>();
		String url = baseUrl + search + (search.contains("?") ? "&" : "?") + "_count=200";
		while (url != null) {
			HttpResponse<String> response =
					send(HttpRequest.newBuilder(URI.create(url)).header("Cache-Control", "no-cache"));
			if (response.statusCode() != 200) {
				throw new IllegalStateException(
						"GET " + url + " gave " + response.statusCode() + ": " + response.body());
			}
			Bundle page = parse(Bundle.class, response.body());
			page.getEntry().forEach(entry -> found.add(type.cast(entry.getResource())));
			url = page.getLink(Bundle.LINK_NEXT) == null
					? null
					: page.getLink(Bundle.LINK_NEXT).getUrl();
		}
		return found;
	}

	<T extends IBaseResource> T parse(Class<T> type, String json) {
		return fhirContext.newJsonParser().parseResource(type, json);
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return http.send(request.header("Accept", JSON).build(), HttpResponse.BodyHandlers.ofString());
	}
}
