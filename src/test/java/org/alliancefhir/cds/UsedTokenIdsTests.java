package org.alliancefhir.cds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class UsedTokenIdsTests {

	private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

	private final MovableClock clock = new MovableClock();

	@Test
	void anIdIsAcceptedOnceWhileItsTokenIsValid() {
		UsedTokenIds ids = new UsedTokenIds(10, clock);

		assertThat(ids.firstUse("ehr a", NOW.plusSeconds(300))).isTrue();
		assertThat(ids.firstUse("ehr a", NOW.plusSeconds(300))).isFalse();
		assertThat(ids.firstUse("ehr b", NOW.plusSeconds(300))).isTrue();
	}

	@Test
	void aFullSetDropsExpiredIdsFirstAndThenRefusesWith503() {
		UsedTokenIds ids = new UsedTokenIds(2, clock);
		ids.firstUse("ehr a", NOW.plusSeconds(10));
		ids.firstUse("ehr b", NOW.plusSeconds(300));

		clock.now = NOW.plusSeconds(20);
		assertThat(ids.firstUse("ehr c", NOW.plusSeconds(300))).isTrue(); // a had expired and made room

		assertThatThrownBy(() -> ids.firstUse("ehr d", NOW.plusSeconds(300)))
				.isInstanceOf(UnclassifiedServerFailureException.class)
				.satisfies(e -> assertThat(((UnclassifiedServerFailureException) e).getStatusCode())
						.isEqualTo(503));
		assertThat(ids.firstUse("ehr b", NOW.plusSeconds(300))).isFalse();
	}

	/** A clock the test sets. */
	private static final class MovableClock extends Clock {
		private Instant now = NOW;

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return now;
		}
	}
}
