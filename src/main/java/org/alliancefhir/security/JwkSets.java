package org.alliancefhir.security;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Signing keys published as a JWK set at an {@code http(s):} URL or in a {@code file:}, cached and refetched for an
 * unknown key id at most twice in 30 s (Nimbus' defaults), with a 5 s timeout and a 256 KB size limit.
 */
public final class JwkSets {

	private static final int HTTP_TIMEOUT_MILLIS = 5_000;
	private static final int JWKS_SIZE_LIMIT = 256 * 1024;

	private JwkSets() {}

	/**
	 * @param setting the configuration setting the URI came from, named when it is not valid
	 * @throws IllegalStateException when the URI is not an {@code http(s):} URL or a {@code file:} path
	 */
	public static JWKSource<SecurityContext> at(String jwksUri, String setting) {
		URL url = url(jwksUri, setting);
		ResourceRetriever retriever = "file".equals(url.getProtocol())
				? JwkSets::readFile
				: new DefaultResourceRetriever(HTTP_TIMEOUT_MILLIS, HTTP_TIMEOUT_MILLIS, JWKS_SIZE_LIMIT);
		return JWKSourceBuilder.create(url, retriever).build();
	}

	private static Resource readFile(URL url) throws IOException {
		try {
			return new Resource(Files.readString(Path.of(url.toURI())), "application/json");
		} catch (URISyntaxException e) {
			throw new IOException(e);
		}
	}

	private static URL url(String jwksUri, String setting) {
		try {
			URL url = new URI(jwksUri).toURL();
			if (!Set.of("https", "http", "file").contains(url.getProtocol())) {
				throw new IllegalArgumentException(setting + " must be an http(s): URL or a file: path");
			}
			return url;
		} catch (URISyntaxException | MalformedURLException | IllegalArgumentException e) {
			throw new IllegalStateException(setting + " is not a valid http(s): URL or file: path: " + jwksUri, e);
		}
	}
}
