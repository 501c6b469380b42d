package org.alliancefhir.storage;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.jpa.dao.tx.IHapiTransactionService;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import java.util.List;
import java.util.UUID;
import org.alliancefhir.server.ServerIntegrationTest;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Reads after a look-up answer exactly what reads without one answer, inside the transaction and after its writes. */
class DerivedResourceStoreIT extends ServerIntegrationTest {

	@Autowired
	private DerivedResourceStore store;

	@Autowired
	private IHapiTransactionService transactions;

	@Test
	void aLookedUpTransactionReadsWhatExistsAndNothingForWhatDoesNotEvenAfterItsOwnWrites() {
		IdType stored = new IdType("Task", "lookup-" + UUID.randomUUID());
		IdType absent = new IdType("Task", "lookup-" + UUID.randomUUID());
		IdType writtenLater = new IdType("Task", "lookup-" + UUID.randomUUID());
		inTransaction(() -> store.put(task(stored, "stored"), new TransactionDetails()));

		inTransaction(() -> {
			store.lookUp(List.of(stored, absent, writtenLater));

			assertThat(store.read(Task.class, stored))
					.get()
					.extracting(Task::getDescription)
					.isEqualTo("stored");
			assertThat(store.read(Task.class, absent)).isEmpty();
			assertThat(store.read(Task.class, writtenLater)).isEmpty();

			store.put(task(writtenLater, "written later"), new TransactionDetails());
			assertThat(store.read(Task.class, writtenLater))
					.get()
					.extracting(Task::getDescription)
					.isEqualTo("written later");

			store.delete(store.read(Task.class, stored).orElseThrow(), new TransactionDetails());
			assertThat(store.read(Task.class, stored)).isEmpty();
		});

		inTransaction(() -> {
			assertThat(store.read(Task.class, stored)).isEmpty();
			assertThat(store.read(Task.class, writtenLater)).isPresent();
		});
	}

	@Test
	void outsideATransactionALookUpChangesNothing() {
		IdType absent = new IdType("Task", "lookup-" + UUID.randomUUID());

		store.lookUp(List.of(absent));

		assertThat(store.read(Task.class, absent)).isEmpty();
	}

	private void inTransaction(Runnable work) {
		// as the feedback workers run theirs
		transactions.withSystemRequestOnDefaultPartition().execute(work);
	}

	private static Task task(IdType id, String description) {
		Task task = new Task()
				.setStatus(Task.TaskStatus.REQUESTED)
				.setIntent(Task.TaskIntent.PROPOSAL)
				.setDescription(description);
		task.setId(id);
		return task;
	}
}
