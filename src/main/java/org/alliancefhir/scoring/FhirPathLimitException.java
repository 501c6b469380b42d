package org.alliancefhir.scoring;

/** Thrown when a FHIRPath expression breaks a bound of {@link FhirPathLimits}; the message says which. */
public class FhirPathLimitException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	FhirPathLimitException(String problem) {
		super(problem);
	}
}
