package org.alliancefhir.extraction;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.api.SummaryEnum;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import ca.uhn.fhir.rest.gclient.ReferenceClientParam;
import java.net.http.HttpResponse;
import java.util.List;
import org.alliancefhir.content.ProjectUrls;
import org.alliancefhir.storage.DerivedResourceStore;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Score Observations are stored without their Dutch narrative and get it whenever the server serves them (read,
 * vread, search, history, {@code $extract}), unless the client asked for a view without it; Observations stored
 * with a narrative before keep theirs.
 */
class ScoreNarrativeIT extends ScoringIntegrationTest {

	private static final String SRS_NARRATIVE_START =
			"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p><b>" + "Sessiebeoordeling (SRS)</b></p><p>";

	@Autowired
	private DerivedResourceStore store;

	@Test
	void aFreshScoreIsStoredWithoutNarrativeAndServedWithIt() {
		String response = create(fixture("srs", "just-below-cut-off"));
		Observation searched = onlyDerivedFrom(response);
		IdType id = searched.getIdElement().toUnqualifiedVersionless();

		Observation stored = store.read(Observation.class, id).orElseThrow();
		Observation read =
				client().read().resource(Observation.class).withId(id).execute();
		Observation vread = client().read()
				.resource(Observation.class)
				.withId(id.withVersion("1"))
				.execute();
		Bundle history =
				client().history().onInstance(id).returnBundle(Bundle.class).execute();

		assertThat(stored.hasText()).as("stored without narrative").isFalse();
		assertThat(stored.getExtensionByUrl(ProjectUrls.SCORE_QUESTIONNAIRE_EXTENSION)
						.getValue()
						.primitiveValue())
				.startsWith("https://alliancefhir.org/fhir/Questionnaire/srs");
		for (Observation served : List.of(
				searched, read, vread, (Observation) history.getEntryFirstRep().getResource())) {
			assertThat(served.getText().getStatus()).isEqualTo(Narrative.NarrativeStatus.GENERATED);
			assertThat(served.getText().getDivAsString())
					.startsWith(SRS_NARRATIVE_START)
					.contains("35,9")
					.contains("onder de grenswaarde")
					.contains("Beoordeling door: cliënt (zelfrapportage).")
					.contains("Berekend door de server uit QuestionnaireResponse/" + response + ".");
		}
	}

	@Test
	void aClientThatAsksForNoNarrativeGetsNone() throws Exception {
		String response = create(fixture("srs", "just-below-cut-off"));

		Bundle data = search(response)
				.summaryMode(SummaryEnum.DATA)
				.returnBundle(Bundle.class)
				.execute();
		Bundle elements = search(response)
				.elementsSubset("code", "value")
				.returnBundle(Bundle.class)
				.execute();
		Bundle text = search(response)
				.elementsSubset("text")
				.returnBundle(Bundle.class)
				.execute();
		HttpResponse<String> summaryTrue =
				send(request("/Observation?derived-from=QuestionnaireResponse/" + response + "&_summary=true"));

		Observation dataEntry = (Observation) data.getEntryFirstRep().getResource();
		assertThat(dataEntry.getValueQuantity().getValue()).isEqualByComparingTo("35.9");
		assertThat(dataEntry.hasText()).isFalse();
		Observation elementsEntry = (Observation) elements.getEntryFirstRep().getResource();
		assertThat(elementsEntry.getValueQuantity().getValue()).isEqualByComparingTo("35.9");
		assertThat(elementsEntry.hasText()).isFalse();
		assertThat(((Observation) text.getEntryFirstRep().getResource())
						.getText()
						.getDivAsString())
				.startsWith(SRS_NARRATIVE_START);
		assertThat(summaryTrue.statusCode()).isEqualTo(200);
		assertThat(summaryTrue.body()).contains("\"Observation\"").doesNotContain("Berekend door de server");
	}

	@Test
	void extractReturnsTheScoresWithTheirNarrative() throws Exception {
		String response = create(fixture("srs", "just-below-cut-off"));

		HttpResponse<String> answer = send(request("/QuestionnaireResponse/" + response + "/$extract"));

		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		Bundle transaction = (Bundle) fhirContext
				.newJsonParser()
				.parseResource(Parameters.class, answer.body())
				.getParameterFirstRep()
				.getResource();
		assertThat(((Observation) transaction.getEntryFirstRep().getResource())
						.getText()
						.getDivAsString())
				.startsWith(SRS_NARRATIVE_START)
				.contains("35,9")
				.contains("Berekend door de server uit QuestionnaireResponse/" + response + ".");
	}

	@Test
	void aScoreStoredWithItsNarrativeKeepsIt() {
		String response = create(fixture("srs", "just-below-cut-off"));
		Observation stored = store.read(
						Observation.class, onlyDerivedFrom(response).getIdElement())
				.orElseThrow();
		ScoreNarrative.unmark(stored);
		stored.getText()
				.setStatus(Narrative.NarrativeStatus.GENERATED)
				.setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Opgeslagen tekst</p></div>");
		store.update(stored, new TransactionDetails());

		Observation read = client().read()
				.resource(Observation.class)
				.withId(stored.getIdElement().toUnqualifiedVersionless())
				.execute();

		assertThat(read.getText().getDivAsString())
				.isEqualTo("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Opgeslagen tekst</p></div>");
	}

	private ca.uhn.fhir.rest.gclient.IQuery<?> search(String response) {
		return client().search()
				.forResource(Observation.class)
				.where(new ReferenceClientParam("derived-from").hasId("QuestionnaireResponse/" + response))
				.cacheControl(new CacheControlDirective().setNoCache(true));
	}
}
