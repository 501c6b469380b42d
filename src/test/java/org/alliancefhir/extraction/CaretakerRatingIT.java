package org.alliancefhir.extraction;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

/**
 * A parent's or caretaker's ORS or CORS rating is scored like the self-report, with its own codes (no SNOMED CT
 * observable, which would not say whose rating it is), but gets no cut-off: none is established for caretaker ratings.
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
}
