package org.alliancefhir.outbox;

/**
 * Gives one transaction at a time the right to derive feedback for a client's series, so that two workers (on one
 * node or several) never process the same client at once. A claim lasts until the transaction ends, also when the
 * process dies.
 */
interface SeriesClaims {

	/** Claims the client's series for the current transaction, or answers false at once when another holds it. */
	boolean tryClaim(String subject);

	/** Claims the client's series for the current transaction, waiting while another holds it. */
	void claim(String subject);

	static SeriesClaims of(OutboxTable table) {
		return table.postgres() ? new RowLockClaims(table) : new LocalClaims();
	}
}
