package org.alliancefhir.extraction;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.LocalDate;
import java.time.Period;
import java.util.function.Supplier;
import org.alliancefhir.storage.DerivedWrites;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;

/** The age in completed years of a response's Patient subject on the day it was authored, read once when asked. */
class SubjectAge {

	private final DaoRegistry daoRegistry;

	SubjectAge(DaoRegistry daoRegistry) {
		this.daoRegistry = daoRegistry;
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
		try {
			Patient patient = (Patient) daoRegistry.getResourceDao("Patient").read(subject, DerivedWrites.request());
			if (!patient.hasBirthDate()) {
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
		} catch (ResourceNotFoundException | ResourceGoneException e) {
			return null;
		}
	}
}
