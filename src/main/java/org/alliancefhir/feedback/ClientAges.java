package org.alliancefhir.feedback;

import java.time.LocalDate;
import java.time.Period;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.alliancefhir.storage.DerivedResourceStore;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;

/**
 * The client's age in completed years on the day of a score, for rules that use {@code %ageInYears}; each Patient is
 * read once, on the first score that asks, and only when a rule asks.
 */
final class ClientAges {

	private final DerivedResourceStore store;
	private final Map<String, Optional<LocalDate>> birthDates = new HashMap<>();

	ClientAges(DerivedResourceStore store) {
		this.store = store;
	}

	/** The age on the day of the score, or {@code null} when the subject is no Patient or has no birth date. */
	Integer of(Observation score) {
		Optional<LocalDate> born = birthDates.computeIfAbsent(score.getSubject().getReference(), this::birthDate);
		if (born.isEmpty() || !score.hasEffectiveDateTimeType()) {
			return null;
		}
		LocalDate day = score.getEffectiveDateTimeType()
				.getValueAsCalendar()
				.toZonedDateTime()
				.toLocalDate();
		return Period.between(born.get(), day).getYears();
	}

	private Optional<LocalDate> birthDate(String subject) {
		IdType id = new IdType(subject);
		if (!"Patient".equals(id.getResourceType())) {
			return Optional.empty();
		}
		return store.read(Patient.class, id).filter(Patient::hasBirthDate).map(p -> p.getBirthDateElement()
				.getValueAsCalendar()
				.toZonedDateTime()
				.toLocalDate());
	}
}
