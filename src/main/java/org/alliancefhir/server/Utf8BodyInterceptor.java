package org.alliancefhir.server;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses, with 400, a request body that is not well-formed UTF-8, the only encoding FHIR allows: HAPI's parsers
 * replaced every invalid byte sequence with U+FFFD and stored the result, so a client never learned that its text had
 * been changed. Form bodies ({@code POST _search}) are left to the servlet container, which reads them as parameters.
 *
 * @see <a href="https://hl7.org/fhir/R4/http.html#mime-type">FHIR character encoding</a>
 */
@Interceptor
public class Utf8BodyInterceptor {

	private static final Set<RequestTypeEnum> WITH_BODY =
			Set.of(RequestTypeEnum.POST, RequestTypeEnum.PUT, RequestTypeEnum.PATCH);

	@Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
	public void rejectInvalidUtf8(RequestDetails request) {
		String contentType = String.valueOf(request.getHeader("Content-Type")).toLowerCase(Locale.ROOT);
		if (!WITH_BODY.contains(request.getRequestType())
				|| contentType.startsWith("application/x-www-form-urlencoded")) {
			return;
		}
		byte[] body = request.loadRequestContents();
		if (body == null || body.length == 0) {
			return;
		}
		int offset = firstInvalidByte(body);
		if (offset >= 0) {
			throw new InvalidRequestException("The request body is not valid UTF-8 (at byte " + offset
					+ "); FHIR resources are encoded in UTF-8");
		}
	}

	/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence, or -1. */
	static int firstInvalidByte(byte[] body) {
		CharsetDecoder decoder = StandardCharsets.UTF_8
				.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT);
		ByteBuffer bytes = ByteBuffer.wrap(body);
		// UTF-8 never decodes to more chars than it has bytes, so the output cannot overflow
		CoderResult result = decoder.decode(bytes, CharBuffer.allocate(body.length), true);
		return result.isError() ? bytes.position() : -1;
	}
}
