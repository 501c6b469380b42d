package org.alliancefhir.outbox;

/**
 * Claims on PostgreSQL: the client's row in {@code alliance_feedback_series}, locked with {@code FOR UPDATE SKIP
 * LOCKED} by a worker (a locked row is skipped, not waited for) and with {@code FOR UPDATE} by a request that must
 * derive in its own transaction. The database releases the lock when the transaction ends, on every node.
 */
final class RowLockClaims implements SeriesClaims {

	private final OutboxTable table;

	RowLockClaims(OutboxTable table) {
		this.table = table;
	}

	@Override
	public boolean tryClaim(String subject) {
		return table.tryLockSeries(subject);
	}

	@Override
	public void claim(String subject) {
		table.lockSeries(subject);
	}
}
