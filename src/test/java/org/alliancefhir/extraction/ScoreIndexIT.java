package org.alliancefhir.extraction;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A score Observation is indexed for the searches an EHR uses (code, component code, value, subject, date) and not
 * twice over: the combined code and value parameters are switched off by content, token codings get no string row
 * for {@code :text}, and a search that would need either is refused with 400 instead of finding nothing.
 */
class ScoreIndexIT extends ScoringIntegrationTest {

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void theSearchesAnEhrUsesFindTheScore() throws Exception {
		String response = create(fixture("srs", "just-below-cut-off"));
		Observation score = onlyDerivedFrom(response);
		String subject = score.getSubject().getReference() + "&derived-from=QuestionnaireResponse/" + response;

		assertThat(searchIds("Observation?subject=" + subject + "&code=" + SCORE_SYSTEM + "|srs-total"))
				.containsExactly(score.getIdPart());
		assertThat(searchIds("Observation?subject=" + subject + "&component-code=" + SCORE_SYSTEM + "|srs-approach"))
				.containsExactly(score.getIdPart());
		assertThat(searchIds("Observation?subject=" + subject + "&value-quantity=lt36"))
				.containsExactly(score.getIdPart());
		assertThat(searchIds("Observation?subject=" + subject + "&value-quantity=ge36"))
				.isEmpty();
		assertThat(searchIds("Observation?subject=" + subject + "&component-value-quantity=ge0"))
				.containsExactly(score.getIdPart());
	}

	@Test
	void aScoreHasNoDoubleIndexRows() {
		String response = create(fixture("srs", "just-below-cut-off"));
		String resourceId = onlyDerivedFrom(response).getIdPart();

		assertThat(indexNames("HFJ_SPIDX_STRING", resourceId)).isEmpty();
		assertThat(indexNames("HFJ_SPIDX_TOKEN", resourceId))
				.doesNotContain("combo-code")
				.contains("code", "component-code", "category", "status", "identifier");
		assertThat(indexNames("HFJ_SPIDX_QUANTITY", resourceId))
				.doesNotContain("combo-value-quantity")
				.containsOnly("value-quantity", "component-value-quantity");
	}

	@Test
	void searchesThatNeedTheSwitchedOffIndexesAreRefused() throws Exception {
		Map<String, String> refusals = Map.of(
				"Observation?combo-code=" + SCORE_SYSTEM + "|srs-total",
				"Unknown search parameter \"combo-code\"",
				"Observation?combo-value-quantity=lt36",
				"Unknown search parameter \"combo-value-quantity\"",
				"Observation?code:text=SRS",
				"does not support the :text modifier");
		for (Map.Entry<String, String> refusal : refusals.entrySet()) {
			String query = refusal.getKey();
			HttpResponse<String> answer = send(request("/" + encodeBars(query)).GET());

			assertThat(answer.statusCode()).as(query).isEqualTo(400);
			OperationOutcome outcome = fhirContext.newJsonParser().parseResource(OperationOutcome.class, answer.body());
			assertThat(outcome.getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
			assertThat(outcome.getIssueFirstRep().getDiagnostics()).as(query).contains(refusal.getValue());
		}
	}

	@Test
	void theCapabilityStatementListsNoSwitchedOffParameter() {
		CapabilityStatement capabilities =
				client().capabilities().ofType(CapabilityStatement.class).execute();
		CapabilityStatementRestResourceComponent observation = capabilities.getRestFirstRep().getResource().stream()
				.filter(r -> r.getType().equals("Observation"))
				.findFirst()
				.orElseThrow();

		assertThat(observation.getSearchParam().stream()
						.map(CapabilityStatementRestResourceSearchParamComponent::getName))
				.contains("code", "component-code", "value-quantity", "subject", "date")
				.doesNotContain("combo-code", "combo-value-quantity");
	}

	private List<String> searchIds(String query) throws Exception {
		HttpResponse<String> answer = send(request("/" + encodeBars(query)).GET());
		assertThat(answer.statusCode()).as(query).isEqualTo(200);
		return fhirContext.newJsonParser().parseResource(Bundle.class, answer.body()).getEntry().stream()
				.map(e -> e.getResource().getIdElement().getIdPart())
				.toList();
	}

	private List<String> indexNames(String table, String observationId) {
		return jdbc.queryForList(
				"select x.SP_NAME from " + table + " x join HFJ_RESOURCE r on r.RES_ID = x.RES_ID"
						+ " where r.RES_TYPE = 'Observation' and r.FHIR_ID = ?",
				String.class,
				observationId);
	}

	private static String encodeBars(String query) {
		return query.replace("|", URLEncoder.encode("|", StandardCharsets.UTF_8));
	}
}
