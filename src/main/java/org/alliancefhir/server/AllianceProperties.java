package org.alliancefhir.server;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the server under the {@code alliance.*} prefix; every field has a default in
 * {@code application.yaml} and can be overridden by an environment variable.
 *
 * @param serverAddress public base URL of the FHIR endpoint, or empty to derive it from each request
 * @param cors origins allowed to call the API from a browser
 * @param paging page sizes of search results
 * @param request limits on what a client may send
 * @param h2 housekeeping of an embedded H2 file database
 */
@ConfigurationProperties("alliance")
public record AllianceProperties(
		@DefaultValue("") String serverAddress,
		@DefaultValue Cors cors,
		@DefaultValue Paging paging,
		@DefaultValue Request request,
		@DefaultValue H2 h2) {

	/**
	 * Cross-origin settings.
	 *
	 * @param allowedOrigins origin patterns, e.g. {@code https://*.example.org}; empty switches CORS off
	 */
	public record Cors(@DefaultValue List<String> allowedOrigins) {}

	/**
	 * Search paging.
	 *
	 * @param defaultPageSize page size when the client sends no {@code _count}
	 * @param maximumPageSize the largest {@code _count} honoured
	 */
	public record Paging(@DefaultValue("20") int defaultPageSize, @DefaultValue("200") int maximumPageSize) {}

	/**
	 * Request limits.
	 *
	 * @param maxBodyBytes the largest request body accepted, after gzip decoding ({@code 1048576} or {@code 1MB});
	 *     larger bodies get 413
	 */
	public record Request(@DefaultValue("1MB") DataSize maxBodyBytes) {}

	/**
	 * Embedded H2 file database.
	 *
	 * @param compactionInterval how often the file's mostly-dead chunks are rewritten when H2's own background writer
	 *     is off ({@code WRITE_DELAY=0}, the default URL); {@code 0} (or less) switches this off
	 */
	public record H2(@DefaultValue("10s") Duration compactionInterval) {}
}
