package org.alliancefhir.extraction;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.junit.jupiter.api.Test;

/** The derived score Observations follow their response through its whole life cycle (design, section 5). */
class ResponseLifecycleIT extends ScoringIntegrationTest {

	@Test
	void anInProgressResponseHasNoScoresUntilItIsCompleted() {
		QuestionnaireResponse response = fixture("srs", "mixed");
		response.setStatus(QuestionnaireResponseStatus.INPROGRESS);
		response.getItem().remove(3);
		String id = create(response);

		assertThat(derivedFrom(id)).isEmpty();

		QuestionnaireResponse completed = fixture("srs", "mixed");
		completed.setId(id);
		client().update().resource(completed).execute();

		Observation score = onlyDerivedFrom(id);
		assertThat(score.getStatus()).isEqualTo(ObservationStatus.FINAL);
		assertThat(score.getValueQuantity().getValue()).isEqualByComparingTo(total(completed));
	}

	@Test
	void changedAnswersUpdateTheSameObservationAsAmended() {
		QuestionnaireResponse response = fixture("srs", "mixed");
		String id = create(response);
		Observation first = onlyDerivedFrom(id);

		response.setId(id);
		response.setStatus(QuestionnaireResponseStatus.AMENDED);
		setAnswer(response, 0, "2.5");
		client().update().resource(response).execute();

		Observation amended = onlyDerivedFrom(id);
		assertThat(amended.getIdElement().getIdPart())
				.isEqualTo(first.getIdElement().getIdPart());
		assertThat(amended.getMeta().getVersionId()).isEqualTo("2");
		assertThat(amended.getStatus()).isEqualTo(ObservationStatus.AMENDED);
		assertThat(amended.getValueQuantity().getValue()).isEqualByComparingTo(total(response));
		assertThat(amended.getComponentFirstRep().getValueQuantity().getValue()).isEqualByComparingTo("2.5");
	}

	@Test
	void anUpdateThatLeavesTheScoresAloneLeavesTheObservationAlone() {
		QuestionnaireResponse response = fixture("srs", "mixed");
		String id = create(response);

		response.setId(id);
		response.getAuthoredElement().setValueAsString("2026-11-20T10:00:00+01:00");
		response.setLanguage("nl");
		client().update().resource(response).execute();

		Observation score = onlyDerivedFrom(id);
		assertThat(score.getMeta().getVersionId()).isEqualTo("1");
		assertThat(score.getStatus()).isEqualTo(ObservationStatus.FINAL);
	}

	@Test
	void aResponseEnteredInErrorTakesItsScoresWithIt() {
		QuestionnaireResponse response = fixture("wav-12-client", "mixed");
		String id = create(response);
		BigDecimal value = onlyDerivedFrom(id).getValueQuantity().getValue();

		response.setId(id);
		response.setStatus(QuestionnaireResponseStatus.ENTEREDINERROR);
		client().update().resource(response).execute();

		Observation score = onlyDerivedFrom(id);
		assertThat(score.getStatus()).isEqualTo(ObservationStatus.ENTEREDINERROR);
		assertThat(score.getValueQuantity().getValue()).isEqualByComparingTo(value);
	}

	@Test
	void aResponseReopenedForEditingCancelsItsScores() {
		QuestionnaireResponse response = fixture("wav-12-client", "mixed");
		String id = create(response);

		response.setId(id);
		response.setStatus(QuestionnaireResponseStatus.INPROGRESS);
		client().update().resource(response).execute();

		assertThat(onlyDerivedFrom(id).getStatus()).isEqualTo(ObservationStatus.CANCELLED);
	}

	@Test
	void deletingAResponseDeletesItsScores() {
		String id = create(fixture("softa-o", "mixed"));
		List<Observation> scores = derivedFrom(id);
		assertThat(scores).hasSizeGreaterThan(1);

		client().delete().resourceById("QuestionnaireResponse", id).execute();

		assertThat(derivedFrom(id)).isEmpty();
	}

	@Test
	void removingAFamilyMemberFromAnObservationRatingRemovesTheirPanel() {
		QuestionnaireResponse response = fixture("softa-o", "mixed");
		String id = create(response);
		long members = response.getItem().stream()
				.filter(i -> i.getLinkId().equals("member"))
				.count();
		assertThat(derivedFrom(id)).filteredOn(o -> o.hasFocus()).hasSize((int) members);

		response.setId(id);
		response.setStatus(QuestionnaireResponseStatus.AMENDED);
		response.getItem()
				.remove(response.getItem().stream()
						.filter(i -> i.getLinkId().equals("member"))
						.reduce((a, b) -> b)
						.orElseThrow());
		client().update().resource(response).execute();

		assertThat(derivedFrom(id)).filteredOn(o -> o.hasFocus()).hasSize((int) members - 1);
	}

	@Test
	void theSrsCutOffPutsExactly36InsideAnd35Point9Below() {
		Observation at = onlyDerivedFrom(create(fixture("srs", "exactly-on-cut-off")));
		Observation below = onlyDerivedFrom(create(fixture("srs", "just-below-cut-off")));

		assertThat(at.getValueQuantity().getValue()).isEqualByComparingTo("36.0");
		assertThat(at.getInterpretationFirstRep().getCodingFirstRep().getCode()).isEqualTo("N");
		assertThat(below.getValueQuantity().getValue()).isEqualByComparingTo("35.9");
		assertThat(below.getInterpretationFirstRep().getCodingFirstRep().getCode())
				.isEqualTo("L");
		assertThat(below.getReferenceRangeFirstRep().getLow().getValue()).isEqualByComparingTo("36");
		assertThat(below.getText().getDivAsString()).contains("35,9").contains("onder de grenswaarde");
	}

	@Test
	void theOrsCutOffDependsOnTheClientsAgeWhenTheyAnswered() {
		QuestionnaireResponse adolescent = withOrsTotal26(patientBornOn("2010-03-01"));
		QuestionnaireResponse adult = withOrsTotal26(patientBornOn("1990-03-01"));
		QuestionnaireResponse ageUnknown = withOrsTotal26(patientBornOn(null));

		Observation youth = onlyDerivedFrom(create(adolescent));
		Observation grownUp = onlyDerivedFrom(create(adult));
		Observation unknown = onlyDerivedFrom(create(ageUnknown));

		assertThat(youth.getInterpretationFirstRep().getCodingFirstRep().getCode())
				.isEqualTo("L");
		assertThat(youth.getReferenceRangeFirstRep().getLow().getValue()).isEqualByComparingTo("28");
		assertThat(grownUp.getInterpretationFirstRep().getCodingFirstRep().getCode())
				.isEqualTo("N");
		assertThat(grownUp.getReferenceRangeFirstRep().getLow().getValue()).isEqualByComparingTo("25");
		assertThat(unknown.hasInterpretation()).isFalse();
		assertThat(unknown.hasReferenceRange()).isFalse();
	}

	private QuestionnaireResponse withOrsTotal26(String patientReference) {
		QuestionnaireResponse response = fixture("ors", "mixed");
		response.getSubject().setReference(patientReference);
		response.getAuthor().setReference(patientReference);
		response.getAuthoredElement().setValueAsString("2026-11-20T10:00:00+01:00");
		for (int i = 0; i < 4; i++) {
			setAnswer(response, i, "6.5");
		}
		return response;
	}

	private String patientBornOn(String birthDate) {
		Patient patient = new Patient();
		if (birthDate != null) {
			patient.setBirthDateElement(new DateType(birthDate));
		}
		return "Patient/"
				+ client().create().resource(patient).execute().getId().getIdPart();
	}

	private static void setAnswer(QuestionnaireResponse response, int item, String value) {
		response.getItem().get(item).getAnswerFirstRep().setValue(new DecimalType(value));
	}

	private static BigDecimal total(QuestionnaireResponse response) {
		return response.getItem().stream()
				.filter(i -> i.getLinkId().startsWith("q"))
				.map(i -> i.getAnswerFirstRep().getValueDecimalType().getValue())
				.reduce(BigDecimal.ZERO, BigDecimal::add);
	}
}
