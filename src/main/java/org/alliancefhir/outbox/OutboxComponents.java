package org.alliancefhir.outbox;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.dao.tx.IHapiTransactionService;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.alliancefhir.feedback.FeedbackService;
import org.alliancefhir.storage.DerivedResourceStore;

/**
 * Assembles the feedback outbox once: creates its tables if they are missing, chooses the claims that fit the
 * database, and exposes the parts the server wires: the outboxes requests write to (feedback due, AuditEvents) and the
 * workers.
 */
public final class OutboxComponents {

	private final FeedbackOutbox outbox;
	private final AuditOutbox audit;
	private final FeedbackWorker worker;

	public OutboxComponents(
			DataSource dataSource,
			EntityManager entityManager,
			IHapiTransactionService transactions,
			DaoRegistry daoRegistry,
			DerivedResourceStore store,
			FeedbackService feedback,
			FeedbackWorker.Settings settings) {
		OutboxTable table = new OutboxTable(entityManager, createSchema(dataSource));
		SeriesClaims claims = SeriesClaims.of(table);
		WorkSignal signal = new WorkSignal();
		this.outbox = new FeedbackOutbox(table, claims, feedback, store, signal);
		this.audit = new AuditOutbox(table, signal, transactions::withSystemRequestOnDefaultPartition);
		this.worker = new FeedbackWorker(
				table,
				claims,
				feedback,
				store,
				transactions::withSystemRequestOnDefaultPartition,
				new FailedFeedbackReport(daoRegistry),
				audit,
				signal,
				settings);
	}

	public FeedbackOutbox outbox() {
		return outbox;
	}

	public AuditOutbox audit() {
		return audit;
	}

	public FeedbackWorker worker() {
		return worker;
	}

	/** Creates the outbox tables when missing; true on PostgreSQL. */
	private static boolean createSchema(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection();
				Statement statement = connection.createStatement()) {
			for (String ddl : OutboxTable.SCHEMA) {
				statement.execute(ddl);
			}
			return connection
					.getMetaData()
					.getDatabaseProductName()
					.toLowerCase()
					.contains("postgres");
		} catch (SQLException e) {
			throw new IllegalStateException("Could not create the feedback outbox tables", e);
		}
	}
}
