package org.alliancefhir.app;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts the clinician app's security headers on every response under {@code /app/}: a Content-Security-Policy that
 * allows only this server's own scripts, styles and API plus the token endpoint, {@code frame-ancestors} from the
 * configuration (an EHR that embeds the app must be listed), {@code X-Frame-Options: SAMEORIGIN} only when no other
 * origin may frame it (the header cannot name other origins, and browsers that know {@code frame-ancestors} ignore it
 * then), no referrer (launch parameters and codes are in the URL) and no MIME sniffing.
 */
class AppHeadersFilter extends OncePerRequestFilter {

	private final String contentSecurityPolicy;
	private final boolean sameOriginFramesOnly;

	AppHeadersFilter(AppProperties properties, String tokenEndpoint) {
		this.contentSecurityPolicy = policy(properties.frameAncestors(), tokenEndpoint);
		this.sameOriginFramesOnly = properties.sameOriginFramesOnly();
	}

	static String policy(List<String> frameAncestors, String tokenEndpoint) {
		Set<String> connect = new LinkedHashSet<>(List.of(AppProperties.SELF));
		origin(tokenEndpoint).ifPresent(connect::add);
		List<String> ancestors = frameAncestors.isEmpty() ? List.of(AppProperties.SELF) : frameAncestors;
		return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
				+ "base-uri 'none'; form-action 'self'; connect-src " + String.join(" ", connect)
				+ "; frame-ancestors " + String.join(" ", ancestors);
	}

	private static Optional<String> origin(String url) {
		if (url == null || url.isBlank()) {
			return Optional.empty();
		}
		URI uri = URI.create(url);
		String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
		return Optional.of(uri.getScheme() + "://" + uri.getHost() + port);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		response.setHeader("Content-Security-Policy", contentSecurityPolicy);
		if (sameOriginFramesOnly) {
			response.setHeader("X-Frame-Options", "SAMEORIGIN");
		}
		response.setHeader("X-Content-Type-Options", "nosniff");
		response.setHeader("Referrer-Policy", "no-referrer");
		response.setHeader("Cache-Control", "no-cache");
		chain.doFilter(request, response);
	}
}
