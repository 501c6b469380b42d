package org.alliancefhir.storage;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.model.DeleteConflictList;
import ca.uhn.fhir.jpa.api.svc.IIdHelperService;
import ca.uhn.fhir.jpa.api.svc.ResolveIdentityMode;
import ca.uhn.fhir.jpa.delete.DeleteConflictUtil;
import ca.uhn.fhir.jpa.model.cross.IResourceLookup;
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

/**
 * Creates, updates, reads, searches and deletes the server's derived resources (scores, comparisons, alerts) as
 * the server's own writes ({@link DerivedWrites}) in the caller's transaction. Ids that many reads and writes of one
 * transaction will ask about can be looked up together first ({@link #lookUp}).
 */
public class DerivedResourceStore {

	private final DaoRegistry daoRegistry;
	private final EntityManager entityManager;
	private final IIdHelperService<?> ids;

	/** @param entityManager a shared (transaction-bound) entity manager of HAPI's persistence unit */
	public DerivedResourceStore(DaoRegistry daoRegistry, EntityManager entityManager, IIdHelperService<?> ids) {
		this.daoRegistry = daoRegistry;
		this.entityManager = entityManager;
		this.ids = ids;
	}

	/**
	 * Looks the ids up in one query of the current transaction: until the transaction ends or the resource is written
	 * through this store, a {@link #read} of one of them needs no look-up (and no query at all when it does not exist),
	 * and the writes that share the given transaction details find where each stands there instead of looking it up.
	 */
	public void lookUp(Collection<? extends IIdType> resources, TransactionDetails transaction) {
		KnownIds known = KnownIds.ofTransaction();
		if (resources.isEmpty() || known == null) {
			return;
		}
		Map<String, IResourceLookup<?>> found = new HashMap<>();
		ids.resolveResourceIdentities(
						RequestPartitionId.defaultPartition(),
						List.copyOf(resources),
						ResolveIdentityMode.includeDeleted().noCacheUnlessDeletesDisabled())
				.forEach((id, lookup) -> found.put(id.toUnqualifiedVersionless().getValue(), lookup));
		for (IIdType id : resources) {
			IIdType versionless = id.toUnqualifiedVersionless();
			IResourceLookup<?> lookup = found.get(versionless.getValue());
			known.put(versionless, lookup);
			transaction.addResolvedResourceId(versionless, lookup == null ? null : lookup.getPersistentId());
		}
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
		KnownIds known = KnownIds.current();
		Optional<IResourceLookup<?>> lookup = known == null ? null : known.get(id.toUnqualifiedVersionless());
		if (lookup != null) {
			return lookup.filter(l -> l.getDeleted() == null)
					.map(l -> type.cast(dao(type).readByPid(l.getPersistentId())));
		}
		try {
			return Optional.of(type.cast(dao(type).read(id.toUnqualifiedVersionless(), DerivedWrites.request())));
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

	private static void forget(Resource resource) {
		KnownIds known = KnownIds.current();
		if (known != null && resource.getIdElement().hasIdPart()) {
			known.forget(resource.getIdElement()
					.withResourceType(resource.fhirType())
					.toUnqualifiedVersionless());
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
