package org.alliancefhir.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.jpa.subscription.match.registry.SubscriptionRegistry;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** An EHR subscribed with an R4 rest-hook Subscription is notified of new alerts and scores. */
class SubscriptionIT extends FeedbackIntegrationTest {

	@Autowired
	private SubscriptionRegistry subscriptions;

	private HttpServer receiver;
	private final List<IBaseResource> received = new CopyOnWriteArrayList<>();
	private String subscriptionId;

	@BeforeEach
	void startReceiver() throws Exception {
		receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		receiver.createContext("/hook", exchange -> {
			byte[] body = exchange.getRequestBody().readAllBytes();
			if (body.length > 0) {
				received.add(fhirContext.newJsonParser().parseResource(new String(body, StandardCharsets.UTF_8)));
			}
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		receiver.start();
	}

	@AfterEach
	void stopReceiverAndSubscription() {
		if (subscriptionId != null) {
			client().delete()
					.resourceById(new IdType("Subscription", subscriptionId))
					.execute();
		}
		receiver.stop(0);
	}

	@Test
	void anEhrSubscribedToActiveFlagsOfItsPatientIsNotifiedOfANewAlert() throws Exception {
		String client = patient("1990-01-01");
		subscribe("Flag?patient=" + client + "&status=active");

		create(srs(client, day(0), 33.0));

		Flag flag = await(Flag.class);
		assertThat(flag.getSubject().getReference()).isEqualTo(client);
		assertThat(flag.getStatus()).isEqualTo(Flag.FlagStatus.ACTIVE);
		assertThat(flag.getCode().getCodingFirstRep().getCode()).isEqualTo("alert-below-cut-off");
	}

	@Test
	void anEhrSubscribedToAScoreCodeIsNotifiedOfEachNewScore() throws Exception {
		String client = patient("1990-01-01");
		subscribe(
				"Observation?subject=" + client + "&code=https://alliancefhir.org/fhir/CodeSystem/alliance|srs-total");

		create(srs(client, day(0), 37.5));

		Observation score = await(Observation.class);
		assertThat(score.getValueQuantity().getValue()).isEqualByComparingTo("37.5");
		assertThat(score.getSubject().getReference()).isEqualTo(client);
		assertThat(score.getText().getDivAsString())
				.as("the narrative, written on delivery")
				.contains("37,5")
				.contains("Berekend door de server uit QuestionnaireResponse/");
	}

	private void subscribe(String criteria) throws InterruptedException {
		Subscription subscription = new Subscription();
		subscription.setStatus(Subscription.SubscriptionStatus.REQUESTED);
		subscription.setReason("EHR notification");
		subscription.setCriteria(criteria);
		subscription
				.getChannel()
				.setType(Subscription.SubscriptionChannelType.RESTHOOK)
				.setEndpoint("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook")
				.setPayload("application/fhir+json");
		subscriptionId = create(subscription);
		Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
		// activated in the database, then registered for matching asynchronously: wait for both
		while (client().read()
								.resource(Subscription.class)
								.withId(subscriptionId)
								.execute()
								.getStatus()
						!= Subscription.SubscriptionStatus.ACTIVE
				|| subscriptions.get(subscriptionId) == null) {
			assertThat(Instant.now())
					.as("subscription activated and registered")
					.isBefore(deadline);
			Thread.sleep(100);
		}
	}

	private <T extends IBaseResource> T await(Class<T> type) throws InterruptedException {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
		while (Instant.now().isBefore(deadline)) {
			for (IBaseResource resource : received) {
				if (type.isInstance(resource)) {
					return type.cast(resource);
				}
			}
			Thread.sleep(200);
		}
		throw new AssertionError("no " + type.getSimpleName() + " notification within 60 s; received " + received);
	}
}
