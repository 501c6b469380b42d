package org.alliancefhir.content;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Values read from stored content, kept until {@link #forget()}; a value whose reading overlapped a forget is handed
 * to its reader but not kept, so no reader can put back a version that another write (on this node or another)
 * replaced meanwhile.
 */
public final class LoadedContent<K, V> {

	private final Map<K, V> values = new ConcurrentHashMap<>();
	private final AtomicLong generation = new AtomicLong();

	/** The kept value of the key, else what {@code load} reads (kept when present). */
	public Optional<V> get(K key, Function<K, Optional<V>> load) {
		V kept = values.get(key);
		if (kept != null) {
			return Optional.of(kept);
		}
		long readFrom = generation.get();
		Optional<V> loaded = load.apply(key);
		loaded.ifPresent(value -> {
			values.put(key, value);
			if (generation.get() != readFrom) {
				// a forget ran while reading: what was read may be the replaced version
				values.remove(key, value);
			}
		});
		return loaded;
	}

	/** Drops every kept value, and any value being read now. */
	public void forget() {
		generation.incrementAndGet();
		values.clear();
	}
}
