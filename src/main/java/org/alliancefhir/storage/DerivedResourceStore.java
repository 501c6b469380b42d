package org.alliancefhir.storage;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.model.DeleteConflictList;
import ca.uhn.fhir.jpa.api.svc.IIdHelperService;
import ca.uhn.fhir.jpa.api.svc.ResolveIdentityMode;
import ca.uhn.fhir.jpa.delete.DeleteConflictUtil;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.storage.IResourcePersistentId;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Creates, updates, reads, searches and deletes the server's derived resources (scores, comparisons, alerts) as
 * the server's own writes ({@link DerivedWrites}) in the caller's transaction.
 */
public class DerivedResourceStore {

	private final DaoRegistry daoRegistry;
	private final EntityManager entityManager;
	private final IIdHelperService<?> ids;

	/**
	 * @param entityManager a shared (transaction-bound) entity manager of HAPI's persistence unit
	 * @param ids HAPI's id resolution, for {@link #lookUp}
	 */
	public DerivedResourceStore(DaoRegistry daoRegistry, EntityManager entityManager, IIdHelperService<?> ids) {
		this.daoRegistry = daoRegistry;
		this.entityManager = entityManager;
		this.ids = ids;
	}

	/**
	 * Finds out in one query which of these resources exist, for the rest of the current transaction: a later {@link
	 * #read} of one of them then needs no query of its own to resolve its id, and none at all when it does not exist
	 * (most derived resources a rule could have written were never written). Writes through this store make the
	 * transaction forget what it knew of the id written. Outside a transaction this does nothing.
	 */
	public void lookUp(Collection<? extends IIdType> resources) {
		if (resources.isEmpty() || !TransactionSynchronizationManager.isSynchronizationActive()) {
			return;
		}
		KnownIds known = KnownIds.ofTransaction(this, true);
		Map<String, IIdType> unknown = new HashMap<>();
		for (IIdType id : resources) {
			String key = id.toUnqualifiedVersionless().getValue();
			if (!known.byId.containsKey(key)) {
				unknown.putIfAbsent(key, id.toUnqualifiedVersionless());
			}
		}
		if (unknown.isEmpty()) {
			return;
		}
		unknown.keySet().forEach(key -> known.byId.put(key, Optional.empty()));
		ids.resolveResourceIdentities(
						RequestPartitionId.defaultPartition(),
						List.copyOf(unknown.values()),
						ResolveIdentityMode.excludeDeleted().noCacheUnlessDeletesDisabled())
				.forEach((id, lookup) -> known.byId.put(
						id.toUnqualifiedVersionless().getValue(), Optional.of(lookup.getPersistentId())));
	}

	/**
	 * Sends the writes HAPI holds back to the database, so the look-ups and delete checks that follow see them. Inside
	 * a transaction Bundle HAPI flushes only at the commit (flush mode {@code COMMIT}); feedback derived inside a
	 * request (only for scores being deleted: everything else is derived after the commit) calls this first, or it
	 * would miss what earlier entries of the Bundle changed. Outside a Bundle Hibernate flushes before every query by
	 * itself, and this does nothing.
	 */
	public void flushHeldBackWrites() {
		if (entityManager.getFlushMode() == FlushModeType.COMMIT) {
			entityManager.flush();
		}
	}

	/** The stored resource, if it exists and is not deleted. */
	public <T extends Resource> Optional<T> read(Class<T> type, IIdType id) {
		KnownIds known = KnownIds.ofTransaction(this, false);
		Optional<IResourcePersistentId<?>> key = known == null
				? null
				: known.byId.get(id.toUnqualifiedVersionless().getValue());
		try {
			if (key == null) {
				return Optional.of(type.cast(dao(type).read(id.toUnqualifiedVersionless(), DerivedWrites.request())));
			}
			return key.map(pid -> type.cast(dao(type).readByPid(pid)));
		} catch (ResourceNotFoundException | ResourceGoneException e) {
			return Optional.empty();
		}
	}

	/**
	 * Runs a synchronous search (no search cache) as the server. Matches are read one by one by their database key:
	 * loading a search result that holds resources written earlier in the same transaction trips a Hibernate 6.6
	 * consistency assertion, reading them by key does not (and, unlike a read by FHIR id, needs no id lookup). A
	 * count limits the matches read (HAPI's id search ignores it and would return up to 10,000).
	 */
	public <T extends Resource> List<T> search(Class<T> type, SearchParameterMap search) {
		search.setLoadSynchronous(true);
		if (search.getCount() != null) {
			search.setLoadSynchronousUpTo(search.getCount());
		}
		IFhirResourceDao<T> dao = dao(type);
		return dao.searchForIds(search, DerivedWrites.request()).stream()
				.map(key -> type.cast(dao.readByPid((IResourcePersistentId<?>) key)))
				.toList();
	}

	/** Creates the resource and returns it with its new id. */
	public <T extends Resource> T create(T resource, TransactionDetails transaction) {
		forget(resource);
		resource.setId(dao(resource)
				.create(resource, null, true, DerivedWrites.request(), transaction)
				.getId()
				.toUnqualifiedVersionless());
		return resource;
	}

	/** Updates the resource in place (it must carry the id of the stored one). */
	public <T extends Resource> T update(T resource, TransactionDetails transaction) {
		forget(resource);
		dao(resource).update(resource, null, true, false, DerivedWrites.request(), transaction);
		return resource;
	}

	/**
	 * Creates or replaces the resource under its own id. Derived resources get ids that follow from what they are
	 * about, so two transactions deriving the same resource collide on its id (and one is retried) instead of
	 * creating a duplicate.
	 */
	public <T extends Resource> T put(T resource, TransactionDetails transaction) {
		return update(resource, transaction);
	}

	/**
	 * Deletes like a client DELETE would: a resource that still refers to this one blocks it (409). Earlier writes are
	 * flushed first, so a reference the same hook has just removed does not count.
	 */
	public void delete(Resource resource, TransactionDetails transaction) {
		forget(resource);
		flushHeldBackWrites();
		DeleteConflictList conflicts = new DeleteConflictList();
		dao(resource)
				.delete(
						resource.getIdElement().toUnqualifiedVersionless(),
						conflicts,
						DerivedWrites.request(),
						transaction);
		DeleteConflictUtil.validateDeleteConflictsEmptyOrThrowException(daoRegistry.getFhirContext(), conflicts);
	}

	/** After a write of the resource, reads of it go to the database again. */
	private void forget(Resource resource) {
		KnownIds known = KnownIds.ofTransaction(this, false);
		if (known != null && resource.getIdElement().hasIdPart()) {
			known.byId.remove(resource.getIdElement().toUnqualifiedVersionless().getValue());
		}
	}

	/** What the current transaction found out by {@link #lookUp}: each id with its database key, or empty if absent. */
	private static final class KnownIds implements TransactionSynchronization {
		private final Object owner;
		private final Map<String, Optional<IResourcePersistentId<?>>> byId = new HashMap<>();

		private KnownIds(Object owner) {
			this.owner = owner;
		}

		static KnownIds ofTransaction(Object owner, boolean create) {
			if (!TransactionSynchronizationManager.isSynchronizationActive()) {
				return null;
			}
			KnownIds known = (KnownIds) TransactionSynchronizationManager.getResource(owner);
			if (known == null && create) {
				known = new KnownIds(owner);
				TransactionSynchronizationManager.bindResource(owner, known);
				TransactionSynchronizationManager.registerSynchronization(known);
			}
			return known;
		}

		@Override
		public void afterCompletion(int status) {
			TransactionSynchronizationManager.unbindResourceIfPossible(owner);
		}
	}

	@SuppressWarnings("unchecked")
	private <T extends Resource> IFhirResourceDao<T> dao(T resource) {
		return (IFhirResourceDao<T>) daoRegistry.getResourceDao(resource.fhirType());
	}

	@SuppressWarnings("unchecked")
	private <T extends Resource> IFhirResourceDao<T> dao(Class<T> type) {
		return (IFhirResourceDao<T>) daoRegistry.getResourceDao(type);
	}
}
