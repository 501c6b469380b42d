package org.alliancefhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MatchUrlRulesTests {

	private static final String PATIENT = "p1";

	private final MatchUrlRules rules = new MatchUrlRules(FhirContext.forR4Cached());

	@ParameterizedTest(name = "{0} may search {1}: {2}")
	@CsvSource(
			delimiter = ';',
			value = {
				"patient/QuestionnaireResponse.crs; QuestionnaireResponse?subject=Patient/p1&_id=7; true",
				"patient/QuestionnaireResponse.read; QuestionnaireResponse?subject=Patient/p1; true",
				"patient/*.*; Observation?patient=Patient/p1&code=x; true",
				"patient/Task.rs; Task?patient=Patient/p1; true",
				"patient/Patient.rs; Patient?_id=p1; true",
				"patient/Patient.rs; Patient?identifier=x; false",
				"patient/QuestionnaireResponse.crs; _id=7&subject=Patient/p1; true",
				"patient/QuestionnaireResponse.crs; http://fhir.example/fhir/QuestionnaireResponse?subject=Patient/p1; true",
				"patient/QuestionnaireResponse.c; QuestionnaireResponse?subject=Patient/p1; false",
				"patient/QuestionnaireResponse.write; QuestionnaireResponse?subject=Patient/p1; false",
				"patient/QuestionnaireResponse.cr; QuestionnaireResponse?subject=Patient/p1; false",
				"patient/QuestionnaireResponse.crs; QuestionnaireResponse?_id=7; false",
				"patient/QuestionnaireResponse.crs; QuestionnaireResponse?subject=Patient/p1,Patient/p2; false",
				"patient/QuestionnaireResponse.crs; QuestionnaireResponse?subject=Patient/p2; false",
				"patient/QuestionnaireResponse.crs; QuestionnaireResponse?subject:missing=false; false",
				"patient/QuestionnaireResponse.crs; QuestionnaireResponse?author=Patient/p1; false",
				"patient/QuestionnaireResponse.crs; QuestionnaireResponse?subject.name=p1; false",
				"patient/QuestionnaireResponse.crs; QuestionnaireResponse?subject=p1; false",
				"patient/QuestionnaireResponse.crs; Observation?subject=Patient/p1; false",
				"patient/QuestionnaireResponse.crs; QuestionnaireResponse?; false",
				"user/QuestionnaireResponse.c; QuestionnaireResponse?_id=7; false",
				"user/QuestionnaireResponse.cs; QuestionnaireResponse?_id=7; true",
				"user/*.read; Observation?code=x; true",
				"system/*.*; Patient?identifier=x; true",
				"system/Observation.cruds; Patient?identifier=x; false"
			})
	void judgesTheMatchUrlByItsScopesAndItsPatient(String scopes, String matchUrl, boolean allowed) {
		AccessToken token = new AccessToken(TestKeys.ISSUER, "sub", "app", PATIENT, SmartScope.parseAll(scopes));

		assertThat(rules.maySearch(token, matchUrl, "QuestionnaireResponse")).isEqualTo(allowed);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({"patient/*.*", "patient/QuestionnaireResponse.cruds"})
	void aPatientScopeWithoutAPatientInContextSearchesNothing(String scopes) {
		AccessToken token = new AccessToken(TestKeys.ISSUER, "sub", "app", null, SmartScope.parseAll(scopes));

		assertThat(rules.maySearch(token, "QuestionnaireResponse?subject=Patient/p1", "QuestionnaireResponse"))
				.isFalse();
	}
}
