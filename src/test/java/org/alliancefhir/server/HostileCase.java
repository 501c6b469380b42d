package org.alliancefhir.server;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One row of the hostile-input matrix: a raw request (method, path, headers, body) and the exact status it must get,
 * plus an optional check of the response; built fluently, e.g. {@code post("truncated JSON", "/Patient", JSON,
 * "{").expect(400)}.
 */
record HostileCase(
		String name,
		String method,
		String path,
		Map<String, String> headers,
		byte[] body,
		boolean streamed,
		int status,
		Consumer<HttpResponse<String>> check) {

	static final String JSON = "application/fhir+json";
	static final String XML = "application/fhir+xml";

	static HostileCase get(String name, String path) {
		return new HostileCase(name, "GET", path, Map.of(), null, false, 0, response -> {});
	}

	static HostileCase post(String name, String path, String contentType, String body) {
		return post(name, path, contentType, body.getBytes(StandardCharsets.UTF_8));
	}

	static HostileCase post(String name, String path, String contentType, byte[] body) {
		return new HostileCase(name, "POST", path, Map.of(), body, false, 0, response -> {})
				.header("Content-Type", contentType);
	}

	static HostileCase put(String name, String path, String contentType, String body) {
		return new HostileCase(
						name, "PUT", path, Map.of(), body.getBytes(StandardCharsets.UTF_8), false, 0, response -> {})
				.header("Content-Type", contentType);
	}

	HostileCase header(String header, String value) {
		Map<String, String> more = new LinkedHashMap<>(headers);
		if (value == null) {
			more.remove(header);
		} else {
			more.put(header, value);
		}
		return new HostileCase(name, method, path, Map.copyOf(more), body, streamed, status, check);
	}

	/** Sends the body without a Content-Length, in chunks, as a streaming client would. */
	HostileCase chunked() {
		return new HostileCase(name, method, path, headers, body, true, status, check);
	}

	HostileCase expect(int expectedStatus) {
		return new HostileCase(name, method, path, headers, body, streamed, expectedStatus, check);
	}

	HostileCase also(Consumer<HttpResponse<String>> extraCheck) {
		return new HostileCase(name, method, path, headers, body, streamed, status, check.andThen(extraCheck));
	}

	/** The resource type the path addresses, e.g. {@code Patient} for {@code /Patient/x}; empty for the base. */
	String resourceType() {
		String first = path.replaceFirst("^/", "").split("[/?]")[0];
		return first.isEmpty() || first.startsWith("$") ? "" : first;
	}

	HttpRequest toRequest(String baseUrl) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
				.version(HttpClient.Version.HTTP_1_1)
				.header("Accept", JSON);
		headers.forEach(request::setHeader);
		return request.method(method, publisher()).build();
	}

	private BodyPublisher publisher() {
		if (body == null) {
			return BodyPublishers.noBody();
		}
		return streamed
				? BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
				: BodyPublishers.ofByteArray(body);
	}

	@Override
	public String toString() {
		return name;
	}
}
