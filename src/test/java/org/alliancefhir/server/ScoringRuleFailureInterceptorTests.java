package org.alliancefhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import org.alliancefhir.scoring.ScoringEngine;
import org.alliancefhir.scoring.ScoringRuleException;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemType;
import org.junit.jupiter.api.Test;

/** A failing score rule, also wrapped by HAPI, becomes 422 naming the item; other failures are left to HAPI. */
class ScoringRuleFailureInterceptorTests {

	private final ScoringRuleFailureInterceptor interceptor = new ScoringRuleFailureInterceptor();

	@Test
	void answersABrokenRuleWith422NamingTheItem() {
		ScoringRuleException broken = brokenRule();

		BaseServerResponseException answer =
				interceptor.answerBrokenScoreRulesWith422(new InternalErrorException("wrapped", broken));

		assertThat(answer.getStatusCode()).isEqualTo(422);
		assertThat(answer.getMessage()).contains("item 'total'").contains("does not parse");
	}

	@Test
	void leavesOtherFailuresToHapi() {
		assertThat(interceptor.answerBrokenScoreRulesWith422(new IllegalStateException("boom")))
				.isNull();
	}

	private static ScoringRuleException brokenRule() {
		Questionnaire questionnaire = new Questionnaire().setUrl("https://example.org/Questionnaire/broken");
		questionnaire
				.addItem()
				.setLinkId("total")
				.setType(QuestionnaireItemType.DECIMAL)
				.addExtension(
						"http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression",
						new Expression().setLanguage("text/fhirpath").setExpression("1 +"));
		try {
			new ScoringEngine().compile(questionnaire);
		} catch (ScoringRuleException e) {
			return e;
		}
		throw new AssertionError("the rule compiled");
	}
}
