package org.alliancefhir.outbox;

import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Claims on H2, held in this process: an embedded H2 database belongs to one server process, so the claims of that
 * process are all there are (several nodes need PostgreSQL). A claim is released when its transaction completes; a
 * transaction that already holds a claim gets it again.
 */
final class LocalClaims implements SeriesClaims {

	private static final long WAIT_MILLIS = 10_000;
	private static final long POLL_MILLIS = 5;

	private final Set<String> claimed = ConcurrentHashMap.newKeySet();

	@Override
	public boolean tryClaim(String subject) {
		Held held = held();
		if (held.subjects.contains(subject)) {
			return true;
		}
		if (!claimed.add(subject)) {
			return false;
		}
		held.subjects.add(subject);
		return true;
	}

	@Override
	public void claim(String subject) {
		long until = System.currentTimeMillis() + WAIT_MILLIS;
		while (!tryClaim(subject)) {
			if (System.currentTimeMillis() > until) {
				// HAPI runs the request again (VersionConflictRetryInterceptor)
				throw new ResourceVersionConflictException("The feedback of this client is being derived; try again");
			}
			try {
				Thread.sleep(POLL_MILLIS);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for a claim", e);
			}
		}
	}

	private Held held() {
		Held held = (Held) TransactionSynchronizationManager.getResource(this);
		if (held == null) {
			held = new Held();
			TransactionSynchronizationManager.bindResource(this, held);
			TransactionSynchronizationManager.registerSynchronization(held);
		}
		return held;
	}

	/** The claims of one transaction, released when it completes. */
	private final class Held implements TransactionSynchronization {
		private final Set<String> subjects = new HashSet<>();

		@Override
		public void afterCompletion(int status) {
			claimed.removeAll(subjects);
			TransactionSynchronizationManager.unbindResourceIfPossible(LocalClaims.this);
		}
	}
}
