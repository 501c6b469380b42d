package org.alliancefhir.server;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refuses, with 400 and before HAPI parses the body, numbers HAPI would mishandle. Any number beyond
 * {@link NumberLimits} (an exponent beyond ±1000): HAPI's JSON parser writes every decimal out in plain digits, so the 12 characters
 * {@code 1e-999999999} asked for a billion-digit string, exhausted the heap and stopped the server; adding such a value
 * to a score would do the same from XML. Plain digits are already bounded (Jackson reads at most 1000 per number).
 * And in JSON, a numeric or boolean choice value written as a string ({@code "valueDecimal": "7.5"}): FHIR JSON writes
 * them unquoted, and HAPI's parser would read the quoted one as if it were right and store it.
 *
 * @see <a href="https://hl7.org/fhir/R4/json.html#primitive">FHIR JSON primitive values</a>
 */
@Interceptor
public class NumberSyntaxInterceptor {

	private static final Set<RequestTypeEnum> WITH_BODY =
			Set.of(RequestTypeEnum.POST, RequestTypeEnum.PUT, RequestTypeEnum.PATCH);
	private static final Pattern XML_NUMBER =
			Pattern.compile("\\bvalue\\s*=\\s*[\"']\\s*(-?\\d+(?:\\.\\d+)?[eE][+-]?\\d+)\\s*[\"']");

	/** Choice elements whose name alone says the value is a JSON number or boolean. */
	private static final Pattern UNQUOTED_VALUES =
			Pattern.compile("value(Decimal|Integer|UnsignedInt|PositiveInt|Boolean)");

	private final JsonFactory json = new JsonFactory();

	@Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
	public void rejectMishandledNumbers(RequestDetails request) {
		if (!WITH_BODY.contains(request.getRequestType())) {
			return;
		}
		String contentType = String.valueOf(request.getHeader("Content-Type")).toLowerCase(Locale.ROOT);
		byte[] body = request.loadRequestContents();
		if (body == null || body.length == 0) {
			return;
		}
		if (contentType.contains("xml")) {
			Matcher numbers = XML_NUMBER.matcher(new String(body, StandardCharsets.UTF_8));
			while (numbers.find()) {
				rejectIfExtreme(numbers.group(1));
			}
		} else {
			rejectExtremeJsonNumbers(body);
		}
	}

	private void rejectExtremeJsonNumbers(byte[] body) {
		try (JsonParser parser = json.createParser(body)) {
			for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
				if (token == JsonToken.VALUE_NUMBER_FLOAT) {
					rejectIfExtreme(parser.getText());
				} else if (token == JsonToken.VALUE_STRING) {
					rejectIfQuoted(parser.currentName(), parser.getText());
				}
			}
		} catch (IOException malformed) {
			// not JSON: HAPI's parser reports it
		}
	}

	private static void rejectIfExtreme(String number) {
		String excess = NumberLimits.excess(number);
		if (excess != null) {
			throw new InvalidRequestException(excess);
		}
	}

	private static void rejectIfQuoted(String name, String text) {
		if (name != null && UNQUOTED_VALUES.matcher(name).matches()) {
			throw new InvalidRequestException("The value of " + name + " is written as a JSON string (\""
					+ text.substring(0, Math.min(text.length(), 40)) + "\"); FHIR JSON writes numbers and booleans "
					+ "without quotes");
		}
	}
}
