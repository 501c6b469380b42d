package org.alliancefhir.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Keeps what was read until forgotten, and never keeps what was read while a forget ran. */
class LoadedContentTests {

	private final LoadedContent<String, String> content = new LoadedContent<>();
	private final AtomicInteger reads = new AtomicInteger();

	@Test
	void readsAValueOnceAndKeepsIt() {
		assertThat(content.get("srs", this::read)).contains("srs v1");
		assertThat(content.get("srs", this::read)).contains("srs v1");

		assertThat(reads).hasValue(1);
	}

	@Test
	void keepsNothingForAKeyThatReadsEmpty() {
		assertThat(content.get("unknown", key -> count(Optional.empty()))).isEmpty();
		assertThat(content.get("unknown", key -> count(Optional.empty()))).isEmpty();

		assertThat(reads).hasValue(2);
	}

	@Test
	void readsAgainAfterAForget() {
		content.get("srs", this::read);

		content.forget();

		assertThat(content.get("srs", this::read)).contains("srs v2");
		assertThat(reads).hasValue(2);
	}

	@Test
	void handsOutButDoesNotKeepAValueReadWhileAForgetRan() {
		Optional<String> readDuringForget = content.get("srs", key -> {
			content.forget();
			return Optional.of("replaced version");
		});

		assertThat(readDuringForget).contains("replaced version");
		assertThat(content.get("srs", this::read)).contains("srs v1");
	}

	private Optional<String> read(String key) {
		return Optional.of(key + " v" + reads.incrementAndGet());
	}

	private Optional<String> count(Optional<String> value) {
		reads.incrementAndGet();
		return value;
	}
}
