package org.alliancefhir.security;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import java.util.List;
import java.util.function.UnaryOperator;
import org.alliancefhir.outbox.AuditOutbox;
import org.alliancefhir.storage.ReferenceTargets;
import org.hl7.fhir.r4.model.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores AuditEvents through HAPI's DAO in a transaction of their own, so an audit failure never fails or rolls back
 * the request it describes: a failed write is retried once with the entities named instead of referenced (a
 * referenced resource may have been deleted meanwhile), then given up with a WARN that names no resource or patient.
 * The events of writes go through the {@link AuditOutbox} first: into the writing transaction, so they exist exactly
 * when the writes do, and from there into storage by the outbox's workers, a batch in the transaction that takes it off
 * the outbox (and, only when that fails, the careful way above).
 */
class AuditEventWriter {

	private static final Logger LOG = LoggerFactory.getLogger(AuditEventWriter.class);

	private final DaoRegistry daoRegistry;
	private final ClientDevices devices;
	private final TransactionTemplate ownTransaction;
	private final AuditOutbox outbox;
	private final ReferenceTargets targets;
	private final IParser json;

	AuditEventWriter(
			DaoRegistry daoRegistry,
			PlatformTransactionManager transactionManager,
			AuditOutbox outbox,
			ReferenceTargets targets) {
		this.daoRegistry = daoRegistry;
		this.targets = targets;
		this.devices = new ClientDevices(daoRegistry);
		this.ownTransaction = new TransactionTemplate(transactionManager);
		ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.outbox = outbox;
		this.json = daoRegistry.getFhirContext().newJsonParser();
		outbox.deliverTo(new AuditOutbox.Sink() {
			@Override
			public void storeInTransaction(List<String> events) {
				create(parsed(events), UnaryOperator.identity());
			}

			@Override
			public void storeCarefully(List<String> events) {
				write(parsed(events), null);
			}
		});
	}

	/**
	 * Puts the events into the current transaction's outbox, to be stored once it has committed; the caller's client
	 * Device is stored first (once per client), so the events can refer to it.
	 */
	void enqueue(List<AuditEvent> events, AccessToken token) {
		if (devices.missing(token)) {
			try {
				ownTransaction.executeWithoutResult(status -> devices.ensure(token));
			} catch (RuntimeException e) {
				devices.forget();
				LOG.warn(
						"Could not store the client's Device for the audit: {}",
						e.getClass().getSimpleName());
			}
		}
		outbox.enqueue(events.stream().map(json::encodeResourceToString).toList());
	}

	/** Wakes the workers that store what {@link #enqueue} put into a transaction that has now committed. */
	void committed() {
		outbox.committed();
	}

	private List<AuditEvent> parsed(List<String> queued) {
		return queued.stream().map(e -> json.parseResource(AuditEvent.class, e)).toList();
	}

	void write(List<AuditEvent> events, AccessToken token) {
		if (events.isEmpty()) {
			return;
		}
		try {
			store(events, token, UnaryOperator.identity());
		} catch (RuntimeException first) {
			devices.forget();
			try {
				store(events, token, AuditEvents::withoutEntityReferences);
			} catch (RuntimeException second) {
				LOG.warn(
						"Could not store {} audit event(s): {}",
						events.size(),
						second.getClass().getSimpleName());
			}
		}
	}

	/** Stores the events in one transaction, their references resolved together (one query, not one per reference). */
	private void store(List<AuditEvent> events, AccessToken token, UnaryOperator<AuditEvent> adjust) {
		ownTransaction.executeWithoutResult(status -> {
			devices.ensure(token);
			create(events, adjust);
		});
	}

	/** Creates the events in the current transaction, their references resolved together. */
	private void create(List<AuditEvent> events, UnaryOperator<AuditEvent> adjust) {
		List<AuditEvent> adjusted = events.stream().map(adjust).toList();
		TransactionDetails details = targets.resolved(adjusted);
		for (AuditEvent event : adjusted) {
			daoRegistry.getResourceDao(AuditEvent.class).create(event, null, true, new SystemRequestDetails(), details);
		}
	}
}
