package org.alliancefhir.security;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The AuditEvents of the writes in one database transaction, stored once it has committed (a rolled-back write leaves
 * none) and attributed to the caller of the transaction, derived writes included.
 */
final class PendingAudit implements TransactionSynchronization {

	private static final Object KEY = PendingAudit.class;

	private final AuditEventWriter writer;
	private final List<AuditEvent> events = new ArrayList<>();
	private final List<Boolean> derived = new ArrayList<>();
	private AccessToken token;

	private PendingAudit(AuditEventWriter writer) {
		this.writer = writer;
	}

	/** Adds an event to the current transaction's audit, or stores it at once outside a transaction. */
	static void add(AuditEventWriter writer, AuditEvent event, boolean derivedWrite, AccessToken caller) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			AuditEvents.addAgents(event, caller, derivedWrite);
			writer.write(List.of(event), caller);
			return;
		}
		PendingAudit pending = (PendingAudit) TransactionSynchronizationManager.getResource(KEY);
		if (pending == null) {
			pending = new PendingAudit(writer);
			TransactionSynchronizationManager.bindResource(KEY, pending);
			TransactionSynchronizationManager.registerSynchronization(pending);
		}
		pending.events.add(event);
		pending.derived.add(derivedWrite);
		if (pending.token == null) {
			// derived writes run as system requests without the caller's token: they get the caller's identity
			pending.token = caller;
		}
	}

	@Override
	public void afterCommit() {
		for (int i = 0; i < events.size(); i++) {
			AuditEvents.addAgents(events.get(i), token, derived.get(i));
		}
		writer.write(events, token);
	}

	@Override
	public void afterCompletion(int status) {
		TransactionSynchronizationManager.unbindResourceIfPossible(KEY);
	}
}
