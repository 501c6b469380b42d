package org.alliancefhir.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.mock.web.MockHttpServletRequest;

/** Search parameters get the number limits of request bodies, wherever HAPI reads the value as a number. */
class RequestParameterGuardInterceptorTests {

	private final RequestParameterGuardInterceptor guard =
			new RequestParameterGuardInterceptor(FhirContext.forR4Cached());

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(
			delimiter = ' ',
			value = {
				"value-quantity 1e999999999",
				"value-quantity lt1e999999999",
				"value-quantity ge1E-999999999",
				"value-quantity ap1e1001",
				"value-quantity eq1e+999999999|http://unitsofmeasure.org|{score}",
				"value-quantity 5,1e999999999",
				"value-quantity:missing 1e999999999",
				"component-value-quantity gt1e999999999",
				"component-code-value-quantity https://alliancefhir.org/fhir/CodeSystem/alliance|srs-q1$lt1e999999999",
				"_has:Observation:subject:value-quantity lt1e999999999",
				"_has:Encounter:patient:_has:Observation:encounter:value-quantity lt1e999999999",
				"subject:Group.value-quantity 1e999999999",
				"probability 1e-5000",
				"length 1e99999",
			})
	void refusesANumberBeyondTheLimitsInAnyNumericParameter(String name, String value) {
		assertThatThrownBy(() -> guard.rejectUnusableParameters(request(name, value)))
				.isInstanceOf(InvalidRequestException.class)
				.hasMessageContaining("Parameter '" + name + "'")
				.hasMessageContaining("exponent beyond ±1000");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({"code:text", "_has:Observation:subject:code:text", "category:text"})
	void refusesTheTextModifier(String name) {
		assertThatThrownBy(() -> guard.rejectUnusableParameters(request(name, "SRS")))
				.isInstanceOf(InvalidRequestException.class)
				.hasMessageContaining("Parameter '" + name + "'")
				.hasMessageContaining("does not support the :text modifier");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({"value-quantity", "probability"})
	void refusesANumberWithMoreThanAThousandDigits(String name) {
		assertThatThrownBy(() -> guard.rejectUnusableParameters(request(name, "gt1" + "0".repeat(1000))))
				.isInstanceOf(InvalidRequestException.class)
				.hasMessageContaining("1001 digits");
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(
			delimiter = ' ',
			value = {
				"value-quantity 1e1000",
				"value-quantity lt36",
				"value-quantity ge-1.5e-3|http://unitsofmeasure.org|{score}",
				"value-quantity ap34.8,le40",
				"component-code-value-quantity https://alliancefhir.org/fhir/CodeSystem/alliance|srs-q1$gt8",
				"identifier 1e999999999",
				"name 1e999999999",
				"_has:Observation:subject:code 1e999999999",
			})
	void letsOrdinaryNumbersAndNonNumericParametersThrough(String name, String value) {
		assertThatCode(() -> guard.rejectUnusableParameters(request(name, value)))
				.doesNotThrowAnyException();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({
		"value-quantity,value-quantity",
		"value-quantity:missing,value-quantity",
		"subject:Patient.birthdate,birthdate",
		"_has:Observation:subject:value-quantity,value-quantity"
	})
	void findsTheParameterSearchedInTheEnd(String written, String searched) {
		assertThat(NumericSearchParameters.searchedName(written)).isEqualTo(searched);
	}

	@Test
	void refusesANumberBeyondTheLimitsInIfNoneExist() {
		ServletRequestDetails request = request("_id", "x");
		((MockHttpServletRequest) request.getServletRequest())
				.addHeader("If-None-Exist", "Observation?subject=Patient/a&value-quantity=lt1e999999999");

		assertThatThrownBy(() -> guard.rejectUnusableParameters(request))
				.isInstanceOf(InvalidRequestException.class)
				.hasMessageStartingWith("Parameter 'value-quantity'");
	}

	@Test
	void checksTheParametersOfBatchAndTransactionEntriesToo() {
		assertThatThrownBy(() -> guard.rejectUnusableEntryParameters(request("value-quantity", "1e999999999")))
				.isInstanceOf(InvalidRequestException.class);
	}

	private static ServletRequestDetails request(String name, String value) {
		ServletRequestDetails request = new ServletRequestDetails();
		request.setServletRequest(new MockHttpServletRequest("GET", "/fhir/Observation"));
		request.setParameters(Map.of(name, new String[] {value}));
		return request;
	}
}
