package org.alliancefhir.storage;

import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Resource;

/**
 * Compares two versions of a resource on what they say, ignoring the bookkeeping the store adds ({@code id},
 * {@code meta}) and whatever else the caller names, so a write that would change nothing can be skipped.
 */
public final class SameContent {

	private SameContent() {}

	@SafeVarargs
	public static <T extends Resource> boolean ignoring(T stored, T fresh, Consumer<T>... alsoIgnored) {
		return comparable(stored, alsoIgnored).equalsDeep(comparable(fresh, alsoIgnored));
	}

	@SafeVarargs
	@SuppressWarnings("unchecked")
	private static <T extends Resource> T comparable(T resource, Consumer<T>... alsoIgnored) {
		T copy = (T) resource.copy();
		copy.setId((String) null);
		copy.setMeta(null);
		for (Consumer<T> ignore : alsoIgnored) {
			ignore.accept(copy);
		}
		return copy;
	}
}
