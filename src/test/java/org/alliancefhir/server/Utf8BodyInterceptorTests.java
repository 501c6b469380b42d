package org.alliancefhir.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.mock.web.MockHttpServletRequest;

/** A body that is not well-formed UTF-8 is refused with 400 naming the byte; any well-formed text passes. */
class Utf8BodyInterceptorTests {

	private final Utf8BodyInterceptor interceptor = new Utf8BodyInterceptor();

	@ParameterizedTest(name = "{0}")
	@CsvSource({
		"a lone continuation byte,80,4",
		"a truncated two-byte sequence,c3,4",
		"an overlong encoding of '/',c0af,4",
		"an encoded surrogate (CESU-8),eda080,4",
		"a byte UTF-8 never uses,ff,4",
		"Latin-1 é,e9,4"
	})
	void refusesABodyThatIsNotUtf8(String name, String hex, int offset) {
		byte[] body = bodyWith(HexFormat.of().parseHex(hex));

		assertThat(Utf8BodyInterceptor.firstInvalidByte(body)).isEqualTo(offset);
		assertThatThrownBy(() -> interceptor.rejectInvalidUtf8(post(body)))
				.isInstanceOf(InvalidRequestException.class)
				.hasMessageContaining("not valid UTF-8 (at byte " + offset + ")");
	}

	@Test
	void acceptsWellFormedUtf8OfEveryLength() {
		byte[] body = "{\"a\":\"é 😀 مرحبا \uD840\uDC0E \uFFFD\"}".getBytes(StandardCharsets.UTF_8);

		assertThatCode(() -> interceptor.rejectInvalidUtf8(post(body))).doesNotThrowAnyException();
	}

	private static byte[] bodyWith(byte[] invalid) {
		byte[] prefix = "{\"a".getBytes(StandardCharsets.US_ASCII);
		byte[] body = new byte[prefix.length + 1 + invalid.length + 2];
		System.arraycopy(prefix, 0, body, 0, prefix.length);
		body[prefix.length] = 'x';
		System.arraycopy(invalid, 0, body, prefix.length + 1, invalid.length);
		body[body.length - 2] = '"';
		body[body.length - 1] = '}';
		return body;
	}

	private static ServletRequestDetails post(byte[] body) {
		MockHttpServletRequest servletRequest = new MockHttpServletRequest("POST", "/fhir/Patient");
		servletRequest.setContentType("application/fhir+json");
		ServletRequestDetails request = new ServletRequestDetails();
		request.setServletRequest(servletRequest);
		request.setRequestType(RequestTypeEnum.POST);
		request.setRequestContents(body);
		return request;
	}
}
