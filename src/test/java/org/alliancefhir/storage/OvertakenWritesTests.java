package org.alliancefhir.storage;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import jakarta.persistence.OptimisticLockException;
import org.hibernate.StaleStateException;
import org.junit.jupiter.api.Test;

class OvertakenWritesTests {

	@Test
	void anOptimisticLockFailureWrappedInA500BecomesAVersionConflict() {
		InternalErrorException wrapped = new InternalErrorException(
				"HAPI-2223: Batch update returned unexpected row count",
				new OptimisticLockException(new StaleStateException("row count 0, expected 1")));

		assertThatThrownBy(() -> OvertakenWrites.reportAsVersionConflict(() -> {
					throw wrapped;
				}))
				.isInstanceOf(ResourceVersionConflictException.class)
				.hasCause(wrapped);
	}

	@Test
	void aBareStaleStateExceptionBecomesAVersionConflict() {
		assertThatThrownBy(() -> OvertakenWrites.reportAsVersionConflict(() -> {
					throw new StaleStateException("row count 0, expected 1");
				}))
				.isInstanceOf(ResourceVersionConflictException.class);
	}

	@Test
	void otherFailuresAndVersionConflictsPassUnchanged() {
		IllegalStateException other = new IllegalStateException("something else");
		assertThatThrownBy(() -> OvertakenWrites.reportAsVersionConflict(() -> {
					throw other;
				}))
				.isSameAs(other);

		ResourceVersionConflictException conflict = new ResourceVersionConflictException("If-Match");
		assertThatThrownBy(() -> OvertakenWrites.reportAsVersionConflict(() -> {
					throw conflict;
				}))
				.isSameAs(conflict);
	}
}
