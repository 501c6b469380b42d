package org.alliancefhir.scoring;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Base;

/**
 * The time and the size of intermediate results one scoring run may use, so that rules which passed
 * {@link FhirPathLimits} but still multiply their work (variables that double a collection or string one after the
 * other, nested {@code where}s over every item) end in a {@link FhirPathLimitException} instead of holding a thread
 * or the heap. Checked between expressions and whenever an expression reads a variable or a weight.
 */
final class EvaluationBudget {

	static final long MAX_MILLIS = 5_000;
	static final int MAX_VALUES = 10_000;
	static final int MAX_TEXT = 100_000;

	private final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_MILLIS);

	void checkTime() {
		if (System.nanoTime() - this.deadline > 0) {
			throw new FhirPathLimitException("took longer than " + MAX_MILLIS + " ms to evaluate");
		}
	}

	static List<Base> checkSize(List<Base> values) {
		if (values.size() > MAX_VALUES) {
			throw new FhirPathLimitException(
					"gave " + values.size() + " values; at most " + MAX_VALUES + " are allowed");
		}
		long text = 0;
		for (Base value : values) {
			if (value.isPrimitive()) {
				text += value.primitiveValue() == null
						? 0
						: value.primitiveValue().length();
			}
		}
		if (text > MAX_TEXT) {
			throw new FhirPathLimitException("gave " + text + " characters; at most " + MAX_TEXT + " are allowed");
		}
		return values;
	}
}
