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
 * audit code registers: a batch is stored and deleted from the outbox in one transaction; only when that fails is it
 * stored the careful way, in transactions of the sink's own, where a crash between storing and deleting the batch may
 * store its events twice, never lose them.
 */
public class AuditOutbox {

	private static final int BATCH = 200;

	private final OutboxTable table;
	private final WorkSignal signal;
	private final Supplier<TransactionOperations> transaction;
	private final ReentrantLock localDrain = new ReentrantLock();
	private volatile Sink sink;

	/** Where the workers deliver the waiting events, in order. */
	public interface Sink {

		/** Stores the events in the current transaction; throws when any of them cannot be stored. */
		void storeInTransaction(List<String> events);

		/** Stores the events as well as it can, in transactions of its own; never throws. */
		void storeCarefully(List<String> events);
	}

	AuditOutbox(OutboxTable table, WorkSignal signal, Supplier<TransactionOperations> transaction) {
		this.table = table;
		this.signal = signal;
		this.transaction = transaction;
	}

	/** Where the workers deliver the waiting events. */
	public void deliverTo(Sink sink) {
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
		Sink target = sink;
		if (target == null) {
			return false;
		}
		boolean local = !table.postgres();
		if (local && !localDrain.tryLock()) {
			return false;
		}
		try {
			try {
				return drain(target::storeInTransaction);
			} catch (RuntimeException e) {
				// the batch rolled back, outbox rows included: store it again, event by event as the sink can
				return drain(target::storeCarefully);
			}
		} finally {
			if (local) {
				localDrain.unlock();
			}
		}
	}

	private boolean drain(Consumer<List<String>> store) {
		return Boolean.TRUE.equals(transaction.get().execute(status -> {
			List<OutboxTable.AuditItem> items = table.auditBatch(BATCH);
			if (items.isEmpty()) {
				return false;
			}
			store.accept(items.stream().map(OutboxTable.AuditItem::event).toList());
			table.deleteAudit(items);
			return true;
		}));
	}
}
