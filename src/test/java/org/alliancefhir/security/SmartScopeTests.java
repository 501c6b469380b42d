package org.alliancefhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.alliancefhir.security.SmartScope.Context;
import org.alliancefhir.security.SmartScope.Permission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmartScopeTests {

	@Test
	void v1ReadMeansReadAndSearch() {
		assertThat(SmartScope.parse("patient/Observation.read"))
				.hasValue(
						new SmartScope(Context.PATIENT, "Observation", EnumSet.of(Permission.READ, Permission.SEARCH)));
	}

	@Test
	void v1WriteMeansCreateUpdateAndDelete() {
		assertThat(SmartScope.parse("user/*.write").orElseThrow().permissions())
				.containsExactlyInAnyOrder(Permission.CREATE, Permission.UPDATE, Permission.DELETE);
	}

	@Test
	void v1StarMeansEverything() {
		SmartScope scope = SmartScope.parse("system/*.*").orElseThrow();

		assertThat(scope.context()).isEqualTo(Context.SYSTEM);
		assertThat(scope.permissions()).isEqualTo(EnumSet.allOf(Permission.class));
		assertThat(scope.covers("QuestionnaireResponse")).isTrue();
	}

	@Test
	void v2LettersGrantExactlyTheirPermissions() {
		assertThat(SmartScope.parse("user/Observation.rs").orElseThrow().permissions())
				.containsExactlyInAnyOrder(Permission.READ, Permission.SEARCH);
		assertThat(SmartScope.parse("patient/QuestionnaireResponse.c")
						.orElseThrow()
						.permissions())
				.containsExactly(Permission.CREATE);
		assertThat(SmartScope.parse("patient/*.cruds").orElseThrow().permissions())
				.isEqualTo(EnumSet.allOf(Permission.class));
	}

	@Test
	void aTypedScopeCoversOnlyItsType() {
		SmartScope scope = SmartScope.parse("patient/QuestionnaireResponse.cr").orElseThrow();

		assertThat(scope.covers("QuestionnaireResponse")).isTrue();
		assertThat(scope.covers("Observation")).isFalse();
	}

	@ParameterizedTest
	@ValueSource(
			strings = {
				"patient/Observation.sr",
				"patient/Observation.rr",
				"patient/Observation.",
				"patient/Observation.x",
				"patient/observation.read",
				"practitioner/*.read",
				"patient/Observation.rs?category=survey",
				"openid",
				"fhirUser",
				"launch/patient",
				"offline_access"
			})
	void grantsNothingForScopesItCannotEnforceExactly(String scope) {
		assertThat(SmartScope.parse(scope)).isEmpty();
	}

	@Test
	void aScopeClaimKeepsOnlyResourceScopes() {
		assertThat(SmartScope.parseAll(" openid  patient/Observation.rs launch/patient user/*.read "))
				.extracting(SmartScope::resourceType)
				.containsExactly("Observation", "*");
	}
}
