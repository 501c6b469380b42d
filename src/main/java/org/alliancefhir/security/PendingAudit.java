package org.alliancefhir.security;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The AuditEvents of the writes in one database transaction, attributed to the caller of the transaction, derived
 * writes included: one event per kind of write (action, and whether the caller or the server wrote), listing every
 * resource written that way and their patients. They are put into the transaction itself just before it commits (the
 * audit outbox), so a rolled-back write leaves none and a committed one always has its events, and are stored after
 * the commit, off the request thread.
 */
final class PendingAudit implements TransactionSynchronization {

	private static final Object KEY = PendingAudit.class;

	private final AuditEventWriter writer;
	private final Map<Kind, AuditEvent> events = new LinkedHashMap<>();
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
		AuditEvent existing = pending.events.putIfAbsent(new Kind(event.getAction(), derivedWrite), event);
		if (existing != null) {
			AuditEvents.addEntitiesOf(existing, event);
		}
		if (pending.token == null) {
			// derived writes run as system requests without the caller's token: they get the caller's identity
			pending.token = caller;
		}
	}

	@Override
	public void beforeCommit(boolean readOnly) {
		events.forEach((kind, event) -> AuditEvents.addAgents(event, token, kind.derived()));
		writer.enqueue(List.copyOf(events.values()), token);
	}

	@Override
	public void afterCommit() {
		writer.committed();
	}

	@Override
	public void afterCompletion(int status) {
		TransactionSynchronizationManager.unbindResourceIfPossible(KEY);
	}

	private record Kind(AuditEventAction action, boolean derived) {}
}
