package org.alliancefhir.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.subscription.match.matcher.subscriber.SubscriptionCriteriaParser;
import ca.uhn.fhir.jpa.subscription.match.matcher.subscriber.SubscriptionCriteriaParser.SubscriptionCriteria;
import ca.uhn.fhir.jpa.subscription.match.registry.ActiveSubscription;
import ca.uhn.fhir.jpa.subscription.model.ResourceModifiedMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Subscription;

/**
 * Lets HAPI queue a subscription message for a write only when an active Subscription could match its resource type,
 * since each message costs the writing transaction a stored row, and its commit a delete and a read of the resource.
 *
 * <p>Changes of Subscriptions themselves always pass (HAPI registers Subscriptions from those messages). The types a
 * Subscription written on this node watches pass at once, before HAPI's registry has caught up with it, for {@link
 * #REGISTRATION_GRACE}; those of a Subscription written through another node pass once this node's registry has
 * loaded it, which is also when this node's matcher would first have matched them.
 */
@Interceptor
class SubscriptionMessageFilter {

	static final Duration REGISTRATION_GRACE = Duration.ofMinutes(2);

	private static final String ANY_TYPE = "*";

	private final FhirContext fhirContext;
	private final Supplier<? extends Collection<ActiveSubscription>> registered;
	private final Supplier<Instant> clock;
	private final Map<String, Instant> recentlyWritten = new ConcurrentHashMap<>();

	/**
	 * @param registered the Subscriptions HAPI's registry on this node holds
	 * @param clock the current time
	 */
	SubscriptionMessageFilter(
			FhirContext fhirContext,
			Supplier<? extends Collection<ActiveSubscription>> registered,
			Supplier<Instant> clock) {
		this.fhirContext = fhirContext;
		this.registered = registered;
		this.clock = clock;
	}

	/** Returning false tells HAPI not to queue the message. */
	@Hook(Pointcut.SUBSCRIPTION_RESOURCE_MODIFIED)
	public boolean submit(ResourceModifiedMessage message) {
		String type = message.getResourceType(fhirContext);
		if ("Subscription".equals(type)) {
			remember(message.getNewResource(fhirContext));
			return true;
		}
		return watchedByRegistry(type) || watchedByRecentWrite(type);
	}

	private boolean watchedByRegistry(String type) {
		for (ActiveSubscription subscription : registered.get()) {
			if (watches(subscription.getCriteria(), type)) {
				return true;
			}
		}
		return false;
	}

	private boolean watchedByRecentWrite(String type) {
		if (recentlyWritten.isEmpty()) {
			return false;
		}
		Instant now = clock.get();
		recentlyWritten.values().removeIf(until -> until.isBefore(now));
		return recentlyWritten.containsKey(type) || recentlyWritten.containsKey(ANY_TYPE);
	}

	private void remember(IBaseResource resource) {
		Instant until = clock.get().plus(REGISTRATION_GRACE);
		for (String type : typesOf(resource)) {
			recentlyWritten.put(type, until);
		}
	}

	private static Set<String> typesOf(IBaseResource resource) {
		if (resource instanceof Subscription subscription && subscription.hasCriteria()) {
			SubscriptionCriteria criteria = SubscriptionCriteriaParser.parse(subscription.getCriteria());
			if (criteria != null && criteria.getApplicableResourceTypes() != null) {
				return criteria.getApplicableResourceTypes();
			}
		}
		return Set.of(ANY_TYPE);
	}

	/** Criteria HAPI could not parse, or that name no type, are treated as watching every type. */
	private static boolean watches(SubscriptionCriteria criteria, String type) {
		if (criteria == null || criteria.getApplicableResourceTypes() == null) {
			return true;
		}
		Set<String> types = criteria.getApplicableResourceTypes();
		return types.isEmpty() || types.contains(ANY_TYPE) || types.contains(type);
	}
}
