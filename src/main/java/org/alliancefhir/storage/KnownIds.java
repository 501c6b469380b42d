package org.alliancefhir.storage;

import ca.uhn.fhir.jpa.model.cross.IResourceLookup;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IIdType;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What {@link DerivedResourceStore#lookUp} found out about ids in the current transaction: where each resource is
 * stored, or that it is not; dropped for a resource once it is written, and entirely when the transaction ends.
 */
final class KnownIds implements TransactionSynchronization {

	private static final Object KEY = KnownIds.class;

	private final Map<String, Optional<IResourceLookup<?>>> byId = new HashMap<>();

	private KnownIds() {}

	/** The current transaction's known ids, if it looked any up; else null. */
	static KnownIds current() {
		return TransactionSynchronizationManager.isSynchronizationActive()
				? (KnownIds) TransactionSynchronizationManager.getResource(KEY)
				: null;
	}

	/** The current transaction's known ids, created on first use; null outside a transaction. */
	static KnownIds ofTransaction() {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			return null;
		}
		KnownIds known = (KnownIds) TransactionSynchronizationManager.getResource(KEY);
		if (known == null) {
			known = new KnownIds();
			TransactionSynchronizationManager.bindResource(KEY, known);
			TransactionSynchronizationManager.registerSynchronization(known);
		}
		return known;
	}

	void put(IIdType id, IResourceLookup<?> lookup) {
		byId.put(id.getValue(), Optional.ofNullable(lookup));
	}

	/** Where the resource is stored (empty: nowhere), or null when this transaction did not look it up. */
	Optional<IResourceLookup<?>> get(IIdType id) {
		return byId.get(id.getValue());
	}

	void forget(IIdType id) {
		byId.remove(id.getValue());
	}

	@Override
	public void afterCompletion(int status) {
		TransactionSynchronizationManager.unbindResourceIfPossible(KEY);
	}
}
