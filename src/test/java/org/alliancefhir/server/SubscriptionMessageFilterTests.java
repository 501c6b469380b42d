package org.alliancefhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.subscription.match.registry.ActiveSubscription;
import ca.uhn.fhir.jpa.subscription.model.CanonicalSubscription;
import ca.uhn.fhir.jpa.subscription.model.ResourceModifiedMessage;
import ca.uhn.fhir.rest.server.messaging.BaseResourceMessage.OperationTypeEnum;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

/** A write gets a subscription message only when a registered or just written Subscription could match its type. */
class SubscriptionMessageFilterTests {

	private static final FhirContext FHIR = FhirContext.forR4Cached();

	private final List<ActiveSubscription> registered = new ArrayList<>();
	private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-03T10:00:00Z"));
	private final SubscriptionMessageFilter filter = new SubscriptionMessageFilter(FHIR, () -> registered, now::get);

	@Test
	void noSubscriptionMeansNoMessageForAnyWrite() {
		assertThat(filter.submit(message(new Observation().setId("Observation/1"))))
				.isFalse();
		assertThat(filter.submit(message(new QuestionnaireResponse().setId("QuestionnaireResponse/1"))))
				.isFalse();
	}

	@Test
	void aRegisteredSubscriptionLetsItsTypeThroughAndNoOther() {
		register("Flag?status=active");

		assertThat(filter.submit(message(new Flag().setId("Flag/1")))).isTrue();
		assertThat(filter.submit(message(new Task().setId("Task/1")))).isFalse();
	}

	@Test
	void aSubscriptionOnEveryTypeLetsEverythingThrough() {
		register("[*]");

		assertThat(filter.submit(message(new Task().setId("Task/1")))).isTrue();
		assertThat(filter.submit(message(new Observation().setId("Observation/1"))))
				.isTrue();
	}

	@Test
	void criteriaNamingSeveralTypesLetEachThrough() {
		register("[Observation,Flag]");

		assertThat(filter.submit(message(new Observation().setId("Observation/1"))))
				.isTrue();
		assertThat(filter.submit(message(new Flag().setId("Flag/1")))).isTrue();
		assertThat(filter.submit(message(new Task().setId("Task/1")))).isFalse();
	}

	@Test
	void changesOfSubscriptionsAlwaysPassSoHapiCanRegisterThem() {
		assertThat(filter.submit(message(subscription("Subscription/s1", "Task?status=requested"))))
				.isTrue();
	}

	@Test
	void aSubscriptionWrittenHereWatchesItsTypeBeforeTheRegistryHasItUntilTheGraceEnds() {
		filter.submit(message(subscription("Subscription/s1", "Task?status=requested")));

		assertThat(filter.submit(message(new Task().setId("Task/1")))).isTrue();
		assertThat(filter.submit(message(new Flag().setId("Flag/1")))).isFalse();

		now.set(now.get().plus(SubscriptionMessageFilter.REGISTRATION_GRACE).plus(Duration.ofSeconds(1)));
		assertThat(filter.submit(message(new Task().setId("Task/2")))).isFalse();
	}

	@Test
	void aSubscriptionWithoutReadableCriteriaCountsAsWatchingEverything() {
		filter.submit(message(subscription("Subscription/s1", null)));

		assertThat(filter.submit(message(new Observation().setId("Observation/1"))))
				.isTrue();
	}

	private void register(String criteria) {
		CanonicalSubscription canonical = new CanonicalSubscription();
		canonical.setIdElement(new org.hl7.fhir.r4.model.IdType("Subscription/" + registered.size()));
		canonical.setCriteriaString(criteria);
		registered.add(new ActiveSubscription(canonical, "channel-" + registered.size()));
	}

	private static Subscription subscription(String id, String criteria) {
		Subscription subscription = new Subscription().setCriteria(criteria);
		subscription.setId(id);
		return subscription;
	}

	private static ResourceModifiedMessage message(IBaseResource resource) {
		return new ResourceModifiedMessage(FHIR, resource, OperationTypeEnum.CREATE);
	}
}
