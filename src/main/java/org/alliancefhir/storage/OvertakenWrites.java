package org.alliancefhir.storage;

import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import jakarta.persistence.OptimisticLockException;
import org.hibernate.StaleStateException;

/**
 * Reports a write that another transaction overtook as the version conflict HAPI retries. When Hibernate finds the
 * overtaken row while flushing before a query (rather than at the commit), HAPI wraps its optimistic-lock failure in
 * a 500 and does not retry; as a {@link ResourceVersionConflictException} the transaction is run again
 * ({@link VersionConflictRetryInterceptor}) and, if it keeps losing, answered with 409.
 */
public final class OvertakenWrites {

	private OvertakenWrites() {}

	/** Runs the work, turning an optimistic-lock failure anywhere in what it throws into a version conflict. */
	public static void reportAsVersionConflict(Runnable work) {
		try {
			work.run();
		} catch (RuntimeException e) {
			if (overtaken(e)) {
				throw new ResourceVersionConflictException(
						"Another request changed a resource derived from the same scores at the same time", e, null);
			}
			throw e;
		}
	}

	private static boolean overtaken(Throwable thrown) {
		for (Throwable t = thrown; t != null; t = t.getCause()) {
			if (t instanceof ResourceVersionConflictException) {
				return false;
			}
			if (t instanceof OptimisticLockException || t instanceof StaleStateException) {
				return true;
			}
		}
		return false;
	}
}
