package org.alliancefhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hl7.fhir.r4.model.Subscription;

/**
 * An EHR's rest-hook endpoint on a free loopback port: subscribes through one node and records which resource each
 * notification carried, so a test can count the notifications per change.
 */
final class NotificationReceiver implements AutoCloseable {

	/**
	 * How long a Subscription created through one node may stay unknown to another: two of the nodes' refresh
	 * intervals ({@code alliance.nodes.refresh-interval}, 5 s by default), and some slack for a busy machine.
	 */
	static final Duration REACHES_EVERY_NODE = Duration.ofSeconds(12);
	/** HAPI delivers queued changes every 5 s on every node: a duplicate would come within two rounds. */
	static final Duration DUPLICATES_WOULD_ARRIVE = Duration.ofSeconds(12);

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private final FhirContext fhirContext = FhirContext.forR4Cached();
	private final HttpServer server;
	private final List<String> notified = new CopyOnWriteArrayList<>();

	private NotificationReceiver(HttpServer server) {
		this.server = server;
	}

	static NotificationReceiver start() throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		NotificationReceiver receiver = new NotificationReceiver(server);
		server.createContext("/hook", exchange -> {
			byte[] body = exchange.getRequestBody().readAllBytes();
			if (body.length > 0) {
				receiver.notified.add(receiver.fhirContext
						.newJsonParser()
						.parseResource(new String(body, StandardCharsets.UTF_8))
						.getIdElement()
						.toUnqualifiedVersionless()
						.getValue());
			}
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		server.start();
		return receiver;
	}

	/**
	 * Creates an active rest-hook Subscription through {@code creator}, sees it active through {@code other}, and waits
	 * until every node has loaded it.
	 */
	void subscribe(RawFhirClient creator, RawFhirClient other, String criteria)
			throws IOException, InterruptedException {
		Subscription subscription = new Subscription();
		subscription.setStatus(Subscription.SubscriptionStatus.REQUESTED);
		subscription.setReason("EHR notification");
		subscription.setCriteria(criteria);
		subscription
				.getChannel()
				.setType(Subscription.SubscriptionChannelType.RESTHOOK)
				.setEndpoint("http://127.0.0.1:" + server.getAddress().getPort() + "/hook")
				.setPayload("application/fhir+json");
		HttpResponse<String> created =
				creator.post("/Subscription", fhirContext.newJsonParser().encodeResourceToString(subscription));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		String path = "/Subscription/" + FixtureWorkload.idFromLocation(created);
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (other.parse(Subscription.class, other.get(path).body()).getStatus()
				!= Subscription.SubscriptionStatus.ACTIVE) {
			assertThat(System.nanoTime()).as("subscription activated").isLessThan(deadline);
			Thread.sleep(200);
		}
		Thread.sleep(REACHES_EVERY_NODE.toMillis());
	}

	/**
	 * Waits until each expected resource was notified, then as long as a duplicate would take, and returns every
	 * notification received (a resource notified twice is in it twice).
	 */
	List<String> awaitOnceEach(Collection<String> expected) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (!notified.containsAll(expected) && System.nanoTime() < deadline) {
			Thread.sleep(200);
		}
		Thread.sleep(DUPLICATES_WOULD_ARRIVE.toMillis());
		return new ArrayList<>(notified);
	}

	@Override
	public void close() {
		server.stop(0);
	}
}
