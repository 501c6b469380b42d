package org.alliancefhir.outbox;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Wakes this node's workers as soon as a transaction that enqueued feedback has committed. */
final class WorkSignal {

	private final Semaphore signals = new Semaphore(0);

	void wake() {
		signals.release();
	}

	/** Waits for a wake-up or the time-out (the poll for work other nodes committed); false when interrupted. */
	boolean await(long millis) {
		try {
			signals.tryAcquire(millis, TimeUnit.MILLISECONDS);
			signals.drainPermits();
			return true;
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}
}
