package org.alliancefhir.content;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.cache.IResourceChangeListener;
import ca.uhn.fhir.jpa.cache.IResourceChangeListenerCache;
import ca.uhn.fhir.jpa.cache.IResourceChangeListenerRegistry;
import ca.uhn.fhir.jpa.cache.ResourceChangeEvent;
import ca.uhn.fhir.jpa.cache.ResourceChangeResult;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.junit.jupiter.api.Test;

/** Registers each watched type with HAPI's change registry and runs its action on every change it reports. */
class StoredContentWatchTests {

	private final FakeRegistry registry = new FakeRegistry();
	private final StoredContentWatch watch = new StoredContentWatch(registry, Duration.ofSeconds(5));

	@Test
	void registersEveryResourceOfTheTypeWithTheInterval() {
		watch.watch("PlanDefinition", () -> {});

		Registration registration = registry.registrations.get(0);
		assertThat(registration.cache.getResourceName()).isEqualTo("PlanDefinition");
		assertThat(registration.intervalMillis).isEqualTo(5000);
		assertThat(registration.cache.getSearchParameterMap().isEmpty()).isTrue();
	}

	@Test
	void runsTheActionOnTheFirstComparisonAndOnEveryChange() {
		AtomicInteger forgotten = new AtomicInteger();
		watch.watch("Questionnaire", forgotten::incrementAndGet);
		IResourceChangeListener listener = registry.registrations.get(0).listener;

		listener.handleInit(List.of(new IdType("Questionnaire/srs")));
		assertThat(forgotten)
				.as("what was read before the first comparison may be outdated")
				.hasValue(1);

		listener.handleChange(ResourceChangeEvent.fromCreatedUpdatedDeletedResourceIds(
				List.of(), List.of(new IdType("Questionnaire/srs/_history/2")), List.of()));
		assertThat(forgotten).hasValue(2);
	}

	@Test
	void asksEveryWatchEvenWhenOneFails() {
		watch.watch("Questionnaire", () -> {});
		watch.watch("PlanDefinition", () -> {});
		registry.registrations.get(0).cache.failing = true;

		watch.refresh();

		assertThat(registry.registrations).extracting(r -> r.cache.asked).containsExactly(1, 1);
	}

	private record Registration(FakeCache cache, IResourceChangeListener listener, long intervalMillis) {}

	private static final class FakeRegistry implements IResourceChangeListenerRegistry {

		final List<Registration> registrations = new ArrayList<>();

		@Override
		public IResourceChangeListenerCache registerResourceResourceChangeListener(
				String resourceName,
				RequestPartitionId partition,
				SearchParameterMap searchParameterMap,
				IResourceChangeListener listener,
				long remoteRefreshIntervalMs) {
			FakeCache cache = new FakeCache(resourceName, searchParameterMap);
			registrations.add(new Registration(cache, listener, remoteRefreshIntervalMs));
			return cache;
		}

		@Override
		public void unregisterResourceResourceChangeListener(IResourceChangeListener listener) {}

		@Override
		public void unregisterResourceResourceChangeListener(IResourceChangeListenerCache cache) {}

		@Override
		public void clearListenersForUnitTest() {}

		@Override
		public boolean contains(IResourceChangeListenerCache cache) {
			return registrations.stream().anyMatch(r -> r.cache == cache);
		}

		@Override
		public void requestRefreshIfWatching(IBaseResource resource) {}

		@Override
		public Set<String> getWatchedResourceNames() {
			return Set.of();
		}
	}

	private static final class FakeCache implements IResourceChangeListenerCache {

		private final String resourceName;
		private final SearchParameterMap searchParameterMap;
		int asked;
		boolean failing;

		FakeCache(String resourceName, SearchParameterMap searchParameterMap) {
			this.resourceName = resourceName;
			this.searchParameterMap = searchParameterMap;
		}

		@Override
		public ResourceChangeResult refreshCacheIfNecessary() {
			asked++;
			if (failing) {
				throw new IllegalStateException("database unreachable");
			}
			return new ResourceChangeResult();
		}

		@Override
		public SearchParameterMap getSearchParameterMap() {
			return searchParameterMap;
		}

		@Override
		public boolean isInitialized() {
			return asked > 0;
		}

		@Override
		public String getResourceName() {
			return resourceName;
		}

		@Override
		public Instant getNextRefreshTime() {
			return Instant.MIN;
		}

		@Override
		public void requestRefresh() {}

		@Override
		public ResourceChangeResult forceRefresh() {
			return refreshCacheIfNecessary();
		}

		@Override
		public RequestPartitionId getRequestPartitionId() {
			return RequestPartitionId.allPartitions();
		}
	}
}
