package org.alliancefhir.extraction;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;

/**
 * A parent's or caretaker's ORS or CORS rating is scored like the self-report, with its own codes (no SNOMED CT
 * observable, which would not say whose rating it is), but gets no cut-off: none is established for caretaker ratings.
 * The same holds when a parent fills in the self-report form (issue 17, item 6); the narrative says whose rating it
 * is.
 */
class CaretakerRatingIT extends ScoringIntegrationTest {

	@Test
	void theSameMarksAreInterpretedOnlyWhenTheClientRatesThemselves() {
		Observation self = onlyDerivedFrom(create(fixture("ors", "just-below-cut-off")));
		Observation caretaker = onlyDerivedFrom(create(fixture("ors-parent", "mixed-sum-24-9")));

		assertThat(self.getValueQuantity().getValue()).isEqualByComparingTo("24.9");
		assertThat(self.getInterpretationFirstRep().getCodingFirstRep().getCode())
				.isEqualTo("L");
		assertThat(self.getReferenceRangeFirstRep().getLow().getValue()).isEqualByComparingTo("25");
		assertThat(self.getCode().getCoding()).extracting(Coding::getCode).containsExactly("ors-total", "716613004");
		assertThat(caretaker.getValueQuantity().getValue()).isEqualByComparingTo("24.9");
		assertThat(caretaker.getCode().getCoding()).extracting(Coding::getCode).containsExactly("ors-parent-total");
		assertThat(caretaker.getPerformerFirstRep().getReference()).isEqualTo("RelatedPerson/fixture-mother");
		assertThat(caretaker.hasInterpretation()).isFalse();
		assertThat(caretaker.hasReferenceRange()).isFalse();
	}

	@Test
	void aCaretakerCorsRatingHasItsFourItemsAndNoCutOff() {
		Observation caretaker = onlyDerivedFrom(create(fixture("cors-parent", "mixed-sum-31-9")));

		assertThat(caretaker.getValueQuantity().getValue()).isEqualByComparingTo("31.9");
		assertThat(caretaker.getComponent())
				.extracting(c -> c.getCode().getCodingFirstRep().getCode())
				.containsExactly(
						"cors-parent-individual",
						"cors-parent-interpersonal",
						"cors-parent-social",
						"cors-parent-overall");
		assertThat(caretaker.getComponent()).noneMatch(c -> c.hasReferenceRange() || c.hasInterpretation());
		assertThat(caretaker.hasReferenceRange()).isFalse();
	}

	@Test
	void aParentCompletingTheSelfReportOrsGetsNoSelfReportCutOffAndTheNarrativeSaysWhoseRatingItIs() {
		QuestionnaireResponse byParent = fixture("ors", "just-below-cut-off");
		byParent.getAuthor().setReference("RelatedPerson/fixture-mother");
		Observation parent = onlyDerivedFrom(create(byParent));
		Observation self = onlyDerivedFrom(create(fixture("ors", "just-below-cut-off")));

		assertThat(parent.getValueQuantity().getValue()).isEqualByComparingTo("24.9");
		assertThat(parent.hasInterpretation()).isFalse();
		assertThat(parent.hasReferenceRange()).isFalse();
		assertThat(parent.getComponent()).noneMatch(c -> c.hasReferenceRange() || c.hasInterpretation());
		assertThat(parent.getText().getDivAsString())
				.contains("Beoordeling door: ouder of verzorger.")
				.contains("Geen grenswaarde: de grenswaarde geldt voor zelfrapportage door de cliënt; voor een"
						+ " beoordeling door ouder of verzorger is geen grenswaarde vastgesteld.")
				.doesNotContain("onder de grenswaarde");
		assertThat(self.getInterpretationFirstRep().getCodingFirstRep().getCode())
				.isEqualTo("L");
		assertThat(self.getText().getDivAsString())
				.contains("Beoordeling door: cliënt (zelfrapportage).")
				.doesNotContain("Geen grenswaarde");
	}

	@Test
	void whoAnsweredCountsNotWhoRecorded() {
		QuestionnaireResponse recorded = fixture("ors", "just-below-cut-off");
		recorded.getAuthor().setReference("Practitioner/fixture-therapist");
		QuestionnaireResponse answeredByParent = fixture("ors", "just-below-cut-off");
		answeredByParent.getAuthor().setReference("Practitioner/fixture-therapist");
		answeredByParent.getSource().setReference("RelatedPerson/fixture-mother");

		Observation client = onlyDerivedFrom(create(recorded));
		Observation parent = onlyDerivedFrom(create(answeredByParent));

		assertThat(client.getInterpretationFirstRep().getCodingFirstRep().getCode())
				.as("a professional who records the client's answers keeps the self-report cut-off")
				.isEqualTo("L");
		assertThat(client.getReferenceRangeFirstRep().getLow().getValue()).isEqualByComparingTo("25");
		assertThat(parent.hasInterpretation()).isFalse();
		assertThat(parent.hasReferenceRange()).isFalse();
		assertThat(parent.getText().getDivAsString()).contains("Beoordeling door: ouder of verzorger.");
	}

	@Test
	void aCaretakerFormSaysWhoseRatingItIs() {
		Observation caretaker = onlyDerivedFrom(create(fixture("ors-parent", "mixed-sum-24-9")));

		assertThat(caretaker.getText().getDivAsString())
				.contains("Beoordeling door: ouder of verzorger.")
				.doesNotContain("Geen grenswaarde:");
	}
}
