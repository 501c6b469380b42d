package org.alliancefhir.outbox;

import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The AuditEvents of committed writes on their way to storage: the audit code puts them (as JSON) into the writing
 * transaction just before it commits, so a committed write always has its AuditEvent, also when the server dies right
 * after the commit; the feedback workers store them shortly after, off the request thread, through the sink the
 * audit code registers. On a crash between storing and deleting a batch, its events may be stored twice, never lost.
 */
public class AuditOutbox {

	private static final int BATCH = 200;

	private final OutboxTable table;
	private final WorkSignal signal;
	private final Supplier<TransactionOperations> transaction;
	private final ReentrantLock localDrain = new ReentrantLock();
	private volatile Consumer<List<String>> sink;

	AuditOutbox(OutboxTable table, WorkSignal signal, Supplier<TransactionOperations> transaction) {
		this.table = table;
		this.signal = signal;
		this.transaction = transaction;
	}

	/** Where the workers deliver the waiting events, in order; the sink stores them in a transaction of its own. */
	public void deliverTo(Consumer<List<String>> sink) {
		this.sink = sink;
	}

	/** Adds the events to the current transaction; call {@link #committed()} once it has committed. */
	public void enqueue(List<String> events) {
		events.forEach(table::insertAudit);
	}

	/** Wakes this node's workers. */
	public void committed() {
		signal.wake();
	}

	/** AuditEvents committed but not yet stored. */
	public long pending() {
		return table.pendingAudit();
	}

	/** Stores one batch of waiting events; false when there was none (or another worker of this process drains). */
	boolean drainBatch() {
		Consumer<List<String>> target = sink;
		if (target == null) {
			return false;
		}
		boolean local = !table.postgres();
		if (local && !localDrain.tryLock()) {
			return false;
		}
		try {
			return Boolean.TRUE.equals(transaction.get().execute(status -> {
				List<OutboxTable.AuditItem> items = table.auditBatch(BATCH);
				if (items.isEmpty()) {
					return false;
				}
				target.accept(items.stream().map(OutboxTable.AuditItem::event).toList());
				table.deleteAudit(items);
				return true;
			}));
		} finally {
			if (local) {
				localDrain.unlock();
			}
		}
	}
}
