package org.alliancefhir.storage;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.model.DeleteConflictList;
import ca.uhn.fhir.jpa.delete.DeleteConflictUtil;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.storage.IResourcePersistentId;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Resource;

/**
 * Creates, updates, reads, searches and deletes the server's derived resources (scores, comparisons, alerts) as
 * the server's own writes ({@link DerivedWrites}) in the caller's transaction.
 */
public class DerivedResourceStore {

	private final DaoRegistry daoRegistry;
	private final EntityManager entityManager;

	/** @param entityManager a shared (transaction-bound) entity manager of HAPI's persistence unit */
	public DerivedResourceStore(DaoRegistry daoRegistry, EntityManager entityManager) {
		this.daoRegistry = daoRegistry;
		this.entityManager = entityManager;
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
		resource.setId(dao(resource)
				.create(resource, null, true, DerivedWrites.request(), transaction)
				.getId()
				.toUnqualifiedVersionless());
		return resource;
	}

	/** Updates the resource in place (it must carry the id of the stored one). */
	public <T extends Resource> T update(T resource, TransactionDetails transaction) {
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

	@SuppressWarnings("unchecked")
	private <T extends Resource> IFhirResourceDao<T> dao(T resource) {
		return (IFhirResourceDao<T>) daoRegistry.getResourceDao(resource.fhirType());
	}

	@SuppressWarnings("unchecked")
	private <T extends Resource> IFhirResourceDao<T> dao(Class<T> type) {
		return (IFhirResourceDao<T>) daoRegistry.getResourceDao(type);
	}
}
