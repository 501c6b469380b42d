package org.alliancefhir.cds;

import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code jti} of every CDS client JWT accepted by this node, each kept until its token expires, so a replayed
 * token is refused; at most {@code capacity} ids at once (expired ones are dropped first, then new tokens are refused
 * with 503 until some expire). Memory of one node only: behind a load balancer a token replayed at another node is
 * not caught.
 */
final class UsedTokenIds {

	private final int capacity;
	private final Clock clock;
	private final Map<String, Instant> expiries = new HashMap<>();

	UsedTokenIds(int capacity, Clock clock) {
		this.capacity = capacity;
		this.clock = clock;
	}

	/** Records the id until it expires; false when it was recorded already (a replay). */
	synchronized boolean firstUse(String id, Instant expires) {
		Instant now = clock.instant();
		Instant known = expiries.get(id);
		if (known != null && known.isAfter(now)) {
			return false;
		}
		if (expiries.size() >= capacity) {
			expiries.values().removeIf(expiry -> !expiry.isAfter(now));
			if (expiries.size() >= capacity) {
				throw new UnclassifiedServerFailureException(
						503, "Too many CDS client tokens are valid at once; retry when some have expired");
			}
		}
		expiries.put(id, expires);
		return true;
	}
}
