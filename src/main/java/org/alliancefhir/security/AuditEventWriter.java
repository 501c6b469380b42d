package org.alliancefhir.security;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.List;
import java.util.function.UnaryOperator;
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
 */
class AuditEventWriter {

	private static final Logger LOG = LoggerFactory.getLogger(AuditEventWriter.class);

	private final DaoRegistry daoRegistry;
	private final ClientDevices devices;
	private final TransactionTemplate ownTransaction;

	AuditEventWriter(DaoRegistry daoRegistry, PlatformTransactionManager transactionManager) {
		this.daoRegistry = daoRegistry;
		this.devices = new ClientDevices(daoRegistry);
		this.ownTransaction = new TransactionTemplate(transactionManager);
		ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
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

	private void store(List<AuditEvent> events, AccessToken token, UnaryOperator<AuditEvent> adjust) {
		ownTransaction.executeWithoutResult(status -> {
			devices.ensure(token);
			for (AuditEvent event : events) {
				daoRegistry.getResourceDao(AuditEvent.class).create(adjust.apply(event), new SystemRequestDetails());
			}
		});
	}
}
