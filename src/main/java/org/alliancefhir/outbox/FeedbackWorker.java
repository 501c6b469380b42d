package org.alliancefhir.outbox;

import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.alliancefhir.feedback.FeedbackService;
import org.alliancefhir.feedback.ScoreChanges;
import org.alliancefhir.storage.DerivedResourceStore;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Derives the feedback the outbox holds, after the requests have committed: each worker thread claims a client with
 * work due, reads all of that client's pending rows, applies the rules to all their scores at once (one set of
 * look-ups per series and session) and deletes the rows, in one transaction. Woken by a commit on this node, it also
 * polls for work other nodes committed. A failed batch is retried with back-off; after the last try it is reported
 * ({@link FailedFeedbackReport}) and kept. The workers also store the AuditEvents waiting in the {@link AuditOutbox}.
 */
public class FeedbackWorker implements SmartLifecycle {

	private static final Logger LOG = LoggerFactory.getLogger(FeedbackWorker.class);
	private static final int SUBJECTS_PER_ROUND = 20;
	private static final long MAX_BACK_OFF_MILLIS = 300_000;

	/**
	 * How the workers run.
	 *
	 * @param threads worker threads on this node (0: none, this node only enqueues)
	 * @param pollInterval how often to look for work committed on other nodes
	 * @param maxAttempts tries before a batch is reported as failed
	 * @param firstRetry the wait before the first retry, doubled for each further one
	 */
	public record Settings(int threads, Duration pollInterval, int maxAttempts, Duration firstRetry) {}

	private final OutboxTable table;
	private final SeriesClaims claims;
	private final FeedbackService feedback;
	private final DerivedResourceStore store;
	private final Supplier<TransactionOperations> transaction;
	private final FailedFeedbackReport report;
	private final AuditOutbox audit;
	private final WorkSignal signal;
	private final Settings settings;
	private final List<Thread> threads = new ArrayList<>();
	private volatile boolean running;

	FeedbackWorker(
			OutboxTable table,
			SeriesClaims claims,
			FeedbackService feedback,
			DerivedResourceStore store,
			Supplier<TransactionOperations> transaction,
			FailedFeedbackReport report,
			AuditOutbox audit,
			WorkSignal signal,
			Settings settings) {
		this.table = table;
		this.claims = claims;
		this.feedback = feedback;
		this.store = store;
		this.transaction = transaction;
		this.report = report;
		this.audit = audit;
		this.signal = signal;
		this.settings = settings;
	}

	@Override
	public synchronized void start() {
		running = true;
		for (int i = 0; i < settings.threads(); i++) {
			Thread thread = new Thread(this::run, "feedback-worker-" + i);
			thread.setDaemon(true);
			threads.add(thread);
			thread.start();
		}
	}

	@Override
	public synchronized void stop() {
		running = false;
		threads.forEach(Thread::interrupt);
		for (Thread thread : threads) {
			try {
				thread.join(10_000);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}
		threads.clear();
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	private void run() {
		while (running) {
			try {
				while (running && drainRound()) {
					// more may be due: another round before waiting
				}
			} catch (RuntimeException e) {
				LOG.warn("Feedback worker round failed: {}", e.getClass().getSimpleName());
			}
			if (!signal.await(settings.pollInterval().toMillis())) {
				return;
			}
		}
	}

	/** One round over the waiting AuditEvents and the clients with work due; true when it did anything. */
	boolean drainRound() {
		boolean progressed = false;
		while (audit.drainBatch()) {
			progressed = true;
		}
		long now = System.currentTimeMillis();
		List<String> due = transaction.get().execute(status -> table.dueSubjects(now, SUBJECTS_PER_ROUND));
		for (String subject : due) {
			progressed |= process(subject);
		}
		return progressed;
	}

	/** Claims the client and derives the feedback of all its due rows in one transaction; false when not claimed. */
	boolean process(String subject) {
		List<OutboxTable.WorkItem> claimed = new ArrayList<>();
		try {
			return Boolean.TRUE.equals(transaction.get().execute(status -> {
				if (!claims.tryClaim(subject)) {
					return false;
				}
				claimed.addAll(table.dueItems(subject, System.currentTimeMillis()));
				if (claimed.isEmpty()) {
					return false;
				}
				TransactionDetails details = new TransactionDetails();
				feedback.apply(ScoreChanges.asStored(scores(claimed, details)), details);
				table.delete(claimed);
				return true;
			}));
		} catch (RuntimeException e) {
			if (!claimed.isEmpty()) {
				retryLater(claimed, e);
			}
			return false;
		}
	}

	/**
	 * The scores the rows name, as stored now (a deleted one has had its feedback derived when it was deleted), looked
	 * up together.
	 */
	private List<Observation> scores(List<OutboxTable.WorkItem> items, TransactionDetails details) {
		Set<IdType> ids = new LinkedHashSet<>();
		items.forEach(item -> item.observationIds().forEach(id -> ids.add(new IdType("Observation", id))));
		store.lookUp(ids, details);
		List<Observation> scores = new ArrayList<>();
		ids.forEach(id -> store.read(Observation.class, id).ifPresent(scores::add));
		return scores;
	}

	private void retryLater(List<OutboxTable.WorkItem> items, RuntimeException failure) {
		LOG.warn(
				"Feedback for {} outbox row(s) failed, to be retried: {}",
				items.size(),
				failure.getClass().getSimpleName(),
				failure);
		long now = System.currentTimeMillis();
		transaction.get().executeWithoutResult(status -> {
			for (OutboxTable.WorkItem item : items) {
				int tries = item.attempts() + 1;
				boolean forGood = tries >= settings.maxAttempts();
				long backOff = Math.min(
						MAX_BACK_OFF_MILLIS, settings.firstRetry().toMillis() << Math.min(20, item.attempts()));
				table.retryLater(item, now + backOff, forGood);
				if (forGood) {
					report.report(item, tries, failure);
				}
			}
		});
	}
}
