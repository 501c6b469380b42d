package org.alliancefhir.outbox;

import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.alliancefhir.feedback.FeedbackService;
import org.alliancefhir.feedback.ScoreChanges;
import org.alliancefhir.storage.DerivedResourceStore;
import org.hl7.fhir.r4.model.Observation;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The write path's hand-over from a request to the feedback workers: a transactional outbox. A request records that
 * the feedback of its changed scores is due; the record is written into the request's own transaction just before it
 * commits (one row per client, however many responses the transaction stored), so it exists exactly when the scores
 * do, and this node's workers are woken once it has committed. Scores about to be deleted are the exception: what
 * refers to them must go first, so their feedback is derived in the request, under the client's claim.
 */
public class FeedbackOutbox {

	private final OutboxTable table;
	private final SeriesClaims claims;
	private final FeedbackService feedback;
	private final DerivedResourceStore store;
	private final WorkSignal signal;

	FeedbackOutbox(
			OutboxTable table,
			SeriesClaims claims,
			FeedbackService feedback,
			DerivedResourceStore store,
			WorkSignal signal) {
		this.table = table;
		this.claims = claims;
		this.feedback = feedback;
		this.store = store;
		this.signal = signal;
	}

	/** Records, in the current transaction, that the feedback of these stored scores is due once it commits. */
	public void feedbackDue(List<Observation> scores) {
		if (scores.isEmpty()) {
			return;
		}
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			throw new IllegalStateException("Feedback can only be enqueued inside a transaction");
		}
		Pending pending = (Pending) TransactionSynchronizationManager.getResource(this);
		if (pending == null) {
			pending = new Pending();
			TransactionSynchronizationManager.bindResource(this, pending);
			TransactionSynchronizationManager.registerSynchronization(pending);
		}
		for (Observation score : scores) {
			pending.bySubject
					.computeIfAbsent(score.getSubject().getReference(), s -> new ArrayList<>())
					.add(score.getIdElement().getIdPart());
		}
	}

	/** Derives now, in the current transaction, what follows from deleting these scores (before they are deleted). */
	public void deleting(List<Observation> scores, TransactionDetails transaction) {
		if (scores.isEmpty()) {
			return;
		}
		scores.stream().map(s -> s.getSubject().getReference()).distinct().forEach(claims::claim);
		store.flushHeldBackWrites();
		feedback.apply(ScoreChanges.deleting(scores), transaction);
	}

	/** Feedback not yet derived (waiting or being retried); failed work is not counted. */
	public long pending() {
		return table.pending();
	}

	/** Feedback that failed for good and waits for an administrator (see README, "Feedback-informed work"). */
	public long failed() {
		return table.failed();
	}

	/** The outbox rows of one transaction, written just before it commits. */
	private final class Pending implements TransactionSynchronization {
		private final Map<String, List<String>> bySubject = new LinkedHashMap<>();

		@Override
		public void beforeCommit(boolean readOnly) {
			long now = System.currentTimeMillis();
			bySubject.forEach((subject, ids) ->
					table.insert(subject, ids.stream().distinct().toList(), now));
		}

		@Override
		public void afterCommit() {
			signal.wake();
		}

		@Override
		public void afterCompletion(int status) {
			TransactionSynchronizationManager.unbindResourceIfPossible(FeedbackOutbox.this);
		}
	}
}
