package org.alliancefhir.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import org.alliancefhir.server.ServerIntegrationTest;
import org.hibernate.engine.spi.SessionImplementor;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox rows of a transaction are written without flushing the transaction's other writes first: in a
 * transaction Bundle each row made Hibernate dirty-check every entity of the Bundle, which cost a scored Bundle half of
 * its time (bench/README §12).
 */
class OutboxTableIT extends ServerIntegrationTest {

	@PersistenceContext
	private EntityManager entityManager;

	@Autowired
	private PlatformTransactionManager transactionManager;

	@Autowired
	private DaoRegistry daoRegistry;

	@Test
	void outboxRowsLeaveTheTransactionsHeldBackWritesUnflushed() {
		OutboxTable table = new OutboxTable(entityManager, false);
		TransactionTemplate transaction = new TransactionTemplate(transactionManager);
		transaction.executeWithoutResult(status -> {
			daoRegistry.getResourceDao(Patient.class).create(new Patient(), new SystemRequestDetails());
			SessionImplementor session = entityManager.unwrap(SessionImplementor.class);
			assertThat(session.getActionQueue().hasAnyQueuedActions())
					.as("the new Patient waits for a flush")
					.isTrue();

			table.insert("Patient/outbox-table-it", List.of("score-1", "score-2"), System.currentTimeMillis());
			table.insertAudit("{\"resourceType\":\"AuditEvent\"}");

			assertThat(session.getActionQueue().hasAnyQueuedActions())
					.as("the new Patient still waits for a flush")
					.isTrue();
			status.setRollbackOnly();
		});
	}
}
