package org.alliancefhir.server;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies larger than the configured limit with 413 and an OperationOutcome, before HAPI reads them:
 * a declared {@code Content-Length} is judged at once, a chunked or gzip-encoded body is read (and inflated) into
 * memory only up to the limit. Tomcat's {@code maxPostSize} cannot do this (it covers form parameters only), and
 * HAPI inflates {@code Content-Encoding: gzip} without bound, so a 300 KB gzip bomb exhausted the heap.
 */
class RequestBodyLimitFilter extends OncePerRequestFilter {

	private static final String CONTENT_ENCODING = "Content-Encoding";

	private final long maxBytes;
	private final FhirContext fhirContext;

	RequestBodyLimitFilter(long maxBytes, FhirContext fhirContext) {
		this.maxBytes = maxBytes;
		this.fhirContext = fhirContext;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long declared = request.getContentLengthLong();
		boolean gzip = "gzip".equalsIgnoreCase(request.getHeader(CONTENT_ENCODING));
		if (declared > maxBytes) {
			refuse(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, IssueType.TOOLONG, tooLarge());
			return;
		}
		boolean chunked = request.getHeader("Transfer-Encoding") != null;
		if (!gzip && !chunked) {
			chain.doFilter(request, response);
			return;
		}
		byte[] body;
		try (InputStream in = gzip ? new GZIPInputStream(request.getInputStream()) : request.getInputStream()) {
			body = readAtMost(in);
		} catch (ZipException | EOFException e) {
			refuse(response, HttpServletResponse.SC_BAD_REQUEST, IssueType.INVALID, "The gzip-encoded body is corrupt");
			return;
		}
		if (body == null) {
			refuse(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, IssueType.TOOLONG, tooLarge());
			return;
		}
		chain.doFilter(new BufferedBodyRequest(request, body), response);
	}

	/** The whole stream, or {@code null} when it holds more than the limit. */
	private byte[] readAtMost(InputStream in) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
			if (out.size() + read > maxBytes) {
				return null;
			}
			out.write(buffer, 0, read);
		}
		return out.toByteArray();
	}

	private String tooLarge() {
		return "The request body is larger than this server accepts (" + maxBytes + " bytes"
				+ ", after gzip decoding); split large transactions into several requests";
	}

	private void refuse(HttpServletResponse response, int status, IssueType type, String message) throws IOException {
		OperationOutcome outcome = new OperationOutcome();
		outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(type).setDiagnostics(message);
		response.setStatus(status);
		response.setContentType("application/fhir+json;charset=UTF-8");
		response.getWriter().write(fhirContext.newJsonParser().encodeResourceToString(outcome));
	}

	/** The request with its body replaced by bytes already read, no longer gzip-encoded. */
	private static final class BufferedBodyRequest extends HttpServletRequestWrapper {

		private final byte[] body;

		BufferedBodyRequest(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream in = new ByteArrayInputStream(body);
			return new ServletInputStream() {
				@Override
				public int read() {
					return in.read();
				}

				@Override
				public int read(byte[] b, int off, int len) {
					return in.read(b, off, len);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("The body is already read");
				}
			};
		}

		@Override
		public BufferedReader getReader() {
			Charset charset;
			try {
				charset = Charset.forName(getCharacterEncoding());
			} catch (IllegalArgumentException missingOrUnknown) {
				charset = StandardCharsets.UTF_8;
			}
			return new BufferedReader(new InputStreamReader(getInputStream(), charset));
		}

		@Override
		public int getContentLength() {
			return body.length;
		}

		@Override
		public long getContentLengthLong() {
			return body.length;
		}

		@Override
		public String getHeader(String name) {
			if (CONTENT_ENCODING.equalsIgnoreCase(name)) {
				return null;
			}
			if ("Content-Length".equalsIgnoreCase(name)) {
				return Integer.toString(body.length);
			}
			return super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			String value = getHeader(name);
			if (CONTENT_ENCODING.equalsIgnoreCase(name) || "Content-Length".equalsIgnoreCase(name)) {
				return value == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(value));
			}
			return super.getHeaders(name);
		}
	}
}
