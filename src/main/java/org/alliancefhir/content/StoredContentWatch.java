package org.alliancefhir.content;

import ca.uhn.fhir.jpa.cache.IResourceChangeEvent;
import ca.uhn.fhir.jpa.cache.IResourceChangeListener;
import ca.uhn.fhir.jpa.cache.IResourceChangeListenerCache;
import ca.uhn.fhir.jpa.cache.IResourceChangeListenerRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.instance.model.api.IIdType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Tells a node's caches of stored content that the content changed in the database, whichever node changed it: each
 * watched resource type is registered with HAPI's {@link IResourceChangeListenerRegistry}, which compares the ids
 * and versions in the database with those it saw last, and is asked to compare every interval (HAPI's own poll runs
 * only every 10 s).
 *
 * <p>
 * Writes through this node are forgotten at once by {@link StoredContentChangeInterceptor}; this is for the others.
 */
public final class StoredContentWatch implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(StoredContentWatch.class);

	private final IResourceChangeListenerRegistry registry;
	private final Duration interval;
	private final List<IResourceChangeListenerCache> watches = new CopyOnWriteArrayList<>();
	private ScheduledExecutorService executor;

	/**
	 * @param interval how often the database is asked, per watched type (one small query each)
	 */
	public StoredContentWatch(IResourceChangeListenerRegistry registry, Duration interval) {
		this.registry = registry;
		this.interval = interval;
	}

	/** Runs {@code changed} whenever a resource of the type is created, updated or deleted, and once at the start. */
	public void watch(String resourceType, Runnable changed) {
		watches.add(registry.registerResourceResourceChangeListener(
				resourceType,
				SearchParameterMap.newSynchronous(),
				new Listener(resourceType, changed),
				interval.toMillis()));
	}

	/** Compares each watched type with the database now, where its interval has passed. */
	void refresh() {
		for (IResourceChangeListenerCache watch : watches) {
			try {
				watch.refreshCacheIfNecessary();
			} catch (RuntimeException e) {
				log.warn("Could not check {} for changes on other nodes: {}", watch.getResourceName(), e.toString());
			}
		}
	}

	@Override
	public synchronized void start() {
		executor = Executors.newSingleThreadScheduledExecutor(task -> {
			Thread thread = new Thread(task, "stored-content-watch");
			thread.setDaemon(true);
			return thread;
		});
		executor.scheduleWithFixedDelay(this::refresh, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public synchronized void stop() {
		if (executor != null) {
			executor.shutdownNow();
			executor = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return executor != null;
	}

	/** Forgets on every change, and on the first comparison: what was read before it may already be outdated. */
	private record Listener(String resourceType, Runnable changed) implements IResourceChangeListener {

		@Override
		public void handleInit(Collection<IIdType> resourceIds) {
			changed.run();
		}

		@Override
		public void handleChange(IResourceChangeEvent event) {
			log.debug("{} changed in the database: {}", resourceType, event);
			changed.run();
		}
	}
}
