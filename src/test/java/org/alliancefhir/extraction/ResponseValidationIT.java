package org.alliancefhir.extraction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A response that does not conform to its Questionnaire is refused over HTTP with 422 and an OperationOutcome that
 * names the item, and nothing of it is stored; the same response in progress is stored. Every rule has a case in
 * {@code ResponseConformanceTests}; these prove the wiring.
 */
class ResponseValidationIT extends ScoringIntegrationTest {

	static Stream<ResponseConformanceTests.Broken> broken() {
		return ResponseConformanceTests.broken()
				.filter(b -> b.name().equals("required item missing")
						|| b.name().equals("code not an option")
						|| b.name().equals("items out of order")
						|| b.name().equals("value above maxValue")
						|| b.name().equals("unknown linkId"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("broken")
	void refusesANonConformingResponseNamingTheItem(ResponseConformanceTests.Broken broken) {
		QuestionnaireResponse response = fixture(broken.instrument(), "mixed");
		broken.change().accept(response);
		int responses = count("QuestionnaireResponse");

		assertThatThrownBy(() -> create(response)).isInstanceOfSatisfying(UnprocessableEntityException.class, e -> {
			OperationOutcome outcome = (OperationOutcome) e.getOperationOutcome();
			assertThat(outcome.getIssue())
					.anySatisfy(issue -> assertThat(issue.getDiagnostics()).contains(broken.message()));
		});
		assertThat(count("QuestionnaireResponse")).isEqualTo(responses);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("broken")
	void storesTheSameResponseWhileInProgressOnlyWhenJustAnswersAreMissing(ResponseConformanceTests.Broken broken) {
		QuestionnaireResponse response = fixture(broken.instrument(), "mixed");
		broken.change().accept(response);
		response.setStatus(QuestionnaireResponseStatus.INPROGRESS);

		if (broken.name().equals("required item missing")) {
			assertThat(create(response)).isNotBlank();
		} else {
			assertThatThrownBy(() -> create(response)).isInstanceOf(UnprocessableEntityException.class);
		}
	}
}
