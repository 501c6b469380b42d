package org.alliancefhir.extraction;

import java.time.LocalDate;
import java.time.Period;
import java.util.function.Supplier;
import org.alliancefhir.storage.DerivedResourceStore;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;

/** The age in completed years of a response's Patient subject on the day it was authored, read once when asked. */
class SubjectAge {

	private final DerivedResourceStore store;

	SubjectAge(DerivedResourceStore store) {
		this.store = store;
	}

	/** A supplier that reads the Patient on its first call only; it gives {@code null} when the age is unknown. */
	Supplier<Integer> of(QuestionnaireResponse response) {
		return new Supplier<>() {
			private boolean read;
			private Integer age;

			@Override
			public Integer get() {
				if (!read) {
					age = compute(response);
					read = true;
				}
				return age;
			}
		};
	}

	private Integer compute(QuestionnaireResponse response) {
		IdType subject = new IdType(response.getSubject().getReference());
		if (!"Patient".equals(subject.getResourceType()) || !response.hasAuthored()) {
			return null;
		}
		Patient patient = store.read(Patient.class, subject).orElse(null);
		if (patient == null || !patient.hasBirthDate()) {
			return null;
		}
		LocalDate born = patient.getBirthDateElement()
				.getValueAsCalendar()
				.toZonedDateTime()
				.toLocalDate();
		LocalDate authored = response.getAuthoredElement()
				.getValueAsCalendar()
				.toZonedDateTime()
				.toLocalDate();
		return Period.between(born, authored).getYears();
	}
}
