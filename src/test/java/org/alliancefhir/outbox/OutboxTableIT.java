package org.alliancefhir.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.ArrayList;
import java.util.List;
import org.alliancefhir.server.ServerIntegrationTest;
import org.hibernate.Session;
import org.hibernate.SessionEventListener;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox rows of a transaction are written without Hibernate's auto-flush, which dirty-checks every entity of the
 * session first: in a transaction Bundle that cost a scored Bundle half of its time (bench/README §12).
 */
class OutboxTableIT extends ServerIntegrationTest {

	@PersistenceContext
	private EntityManager entityManager;

	@Autowired
	private PlatformTransactionManager transactionManager;

	@Autowired
	private DaoRegistry daoRegistry;

	@Test
	void outboxRowsDoNotMakeHibernateCheckTheTransactionsOtherEntities() {
		OutboxTable table = new OutboxTable(entityManager, false);
		TransactionTemplate transaction = new TransactionTemplate(transactionManager);
		transaction.executeWithoutResult(status -> {
			daoRegistry.getResourceDao(Patient.class).create(new Patient(), new SystemRequestDetails());
			List<Integer> entitiesChecked = new ArrayList<>();
			entityManager.unwrap(Session.class).addEventListeners(new SessionEventListener() {
				@Override
				public void partialFlushEnd(int numberOfEntities, int numberOfCollections) {
					entitiesChecked.add(numberOfEntities);
				}
			});

			table.insert("Patient/outbox-table-it", List.of("score-1", "score-2"), System.currentTimeMillis());
			table.insertAudit("{\"resourceType\":\"AuditEvent\"}");

			assertThat(entitiesChecked)
					.as("entities Hibernate dirty-checked before each outbox row")
					.allSatisfy(checked -> assertThat(checked).isZero());
			status.setRollbackOnly();
		});
	}
}
