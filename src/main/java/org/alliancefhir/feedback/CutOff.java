package org.alliancefhir.feedback;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Observation.ObservationReferenceRangeComponent;

/**
 * A score placed against the reference interval that applies to it.
 *
 * @param referenceRange the interval, as an Observation reference range
 * @param interpretation N inside the interval, L below it, H above it
 */
public record CutOff(ObservationReferenceRangeComponent referenceRange, CodeableConcept interpretation) {}
