package org.alliancefhir.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.dao.tx.IHapiTransactionService;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.ReferenceClientParam;
import jakarta.persistence.EntityManagerFactory;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.alliancefhir.feedback.FeedbackRuleCatalog;
import org.alliancefhir.feedback.FeedbackService;
import org.alliancefhir.feedback.RuleExpressions;
import org.alliancefhir.feedback.ScoreChanges;
import org.alliancefhir.server.FreshPostgresDatabase;
import org.alliancefhir.server.LaunchedServer;
import org.alliancefhir.storage.DerivedResourceStore;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.springframework.orm.jpa.SharedEntityManagerCreator;

/**
 * Two independent workers (each with its own claims, as two server nodes have) drain one PostgreSQL outbox: no row is
 * processed twice, no client's series is processed by both at once, and the feedback is what one node derives.
 */
class TwoWorkersIT {

	private static final int CLIENTS = 6;
	private static final double[] TOTALS = {38.0, 34.0, 37.2, 33.2};

	@Test
	void twoWorkersOnOnePostgresDatabaseNeverOverlapAndDeriveWhatOneNodeDerives() throws Exception {
		Map<String, Object> properties = new HashMap<>();
		try (FreshPostgresDatabase database = FreshPostgresDatabase.create()) {
			properties.putAll(database.serverProperties());
			properties.put("alliance.feedback.workers", "0");
			try (LaunchedServer server = LaunchedServer.start(properties)) {
				List<String> clients = postSessions(server.client());
				FeedbackOutbox outbox = server.bean(FeedbackOutbox.class);
				assertThat(outbox.pending()).isEqualTo(CLIENTS * TOTALS.length);

				RecordingFeedback recording = new RecordingFeedback(server);
				List<FeedbackWorker> workers = List.of(worker(server, recording), worker(server, recording));
				drain(workers, outbox);

				assertThat(recording.overlaps.get())
						.as("a client processed by both workers at once")
						.isZero();
				assertThat(recording.applications).as("rows processed").hasSize(CLIENTS * TOTALS.length);
				assertThat(recording.applications).doesNotHaveDuplicates();
				assertThat(recording.workerThreads).as("both workers took part").hasSize(2);
				for (String client : clients) {
					assertThat(tasks(server.client(), client))
							.extracting(t -> t.getCode().getCodingFirstRep().getCode())
							.containsExactlyInAnyOrder(
									"alert-below-cut-off", "alert-below-cut-off", "alert-drop", "alert-drop");
				}
			}
		}
	}

	/**
	 * Feedback that keeps failing is retried, then kept in the outbox as failed and reported as an AuditEvent an
	 * administrator finds by its subtype; it is never dropped.
	 */
	@Test
	void feedbackThatKeepsFailingIsRetriedThenReportedAndKept() throws Exception {
		Map<String, Object> properties = new HashMap<>();
		try (FreshPostgresDatabase database = FreshPostgresDatabase.create()) {
			properties.putAll(database.serverProperties());
			properties.put("alliance.feedback.workers", "0");
			try (LaunchedServer server = LaunchedServer.start(properties)) {
				Patient patient = new Patient();
				String client = "Patient/"
						+ server.client()
								.create()
								.resource(patient)
								.execute()
								.getId()
								.getIdPart();
				server.client().create().resource(srs(client, 0, 34.0)).execute();
				FeedbackOutbox outbox = server.bean(FeedbackOutbox.class);
				FeedbackService failing =
						new FeedbackService(
								server.bean(FeedbackRuleCatalog.class),
								server.bean(RuleExpressions.class),
								server.bean(DerivedResourceStore.class)) {
							@Override
							public void apply(ScoreChanges changes, TransactionDetails tx) {
								throw new IllegalStateException("rules unavailable");
							}
						};
				FeedbackWorker worker = new OutboxComponents(
								server.bean(DataSource.class),
								SharedEntityManagerCreator.createSharedEntityManager(
										server.bean(EntityManagerFactory.class)),
								server.bean(IHapiTransactionService.class),
								server.bean(DaoRegistry.class),
								server.bean(DerivedResourceStore.class),
								failing,
								new FeedbackWorker.Settings(0, Duration.ofMillis(500), 3, Duration.ofMillis(1)))
						.worker();

				long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
				while (outbox.failed() == 0 && System.nanoTime() < deadline) {
					worker.drainRound();
					Thread.sleep(5);
				}

				assertThat(outbox.failed()).as("kept as failed").isEqualTo(1);
				assertThat(outbox.pending()).isZero();
				Bundle reports = server.client()
						.search()
						.byUrl("AuditEvent?subtype=" + FailedFeedbackReport.SUBTYPE.getSystem() + "%7C"
								+ FailedFeedbackReport.SUBTYPE.getCode())
						.returnBundle(Bundle.class)
						.execute();
				assertThat(reports.getEntry()).singleElement().satisfies(entry -> {
					org.hl7.fhir.r4.model.AuditEvent report = (org.hl7.fhir.r4.model.AuditEvent) entry.getResource();
					assertThat(report.getOutcome()).isEqualTo(org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome._8);
					assertThat(report.getOutcomeDesc())
							.contains("after 3 tries")
							.contains("IllegalStateException");
					assertThat(report.getEntity())
							.extracting(e -> e.getWhat().getReference())
							.contains(client);
				});
				assertThat(tasks(server.client(), client)).isEmpty();
			}
		}
	}

	private static FeedbackWorker worker(LaunchedServer server, FeedbackService feedback) {
		return new OutboxComponents(
						server.bean(DataSource.class),
						SharedEntityManagerCreator.createSharedEntityManager(server.bean(EntityManagerFactory.class)),
						server.bean(IHapiTransactionService.class),
						server.bean(DaoRegistry.class),
						server.bean(DerivedResourceStore.class),
						feedback,
						new FeedbackWorker.Settings(0, Duration.ofMillis(500), 8, Duration.ofSeconds(1)))
				.worker();
	}

	/** Runs both workers' rounds side by side until the outbox is empty. */
	private static void drain(List<FeedbackWorker> workers, FeedbackOutbox outbox) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(workers.size());
		long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
		List<Future<?>> running = new ArrayList<>();
		for (FeedbackWorker worker : workers) {
			running.add(pool.submit(() -> {
				while (outbox.pending() > 0 && System.nanoTime() < deadline) {
					worker.drainRound();
				}
			}));
		}
		for (Future<?> future : running) {
			future.get();
		}
		pool.shutdown();
		assertThat(outbox.pending()).isZero();
	}

	private static List<String> postSessions(IGenericClient client) {
		List<String> clients = new ArrayList<>();
		for (int c = 0; c < CLIENTS; c++) {
			Patient patient = new Patient();
			patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1990-01-01"));
			clients.add("Patient/"
					+ client.create().resource(patient).execute().getId().getIdPart());
		}
		for (int session = 0; session < TOTALS.length; session++) {
			for (String patient : clients) {
				client.create().resource(srs(patient, session, TOTALS[session])).execute();
			}
		}
		return clients;
	}

	private static QuestionnaireResponse srs(String patient, int day, double total) {
		QuestionnaireResponse response = new QuestionnaireResponse();
		response.setQuestionnaire("https://alliancefhir.org/fhir/Questionnaire/srs|1.0.0");
		response.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
		response.getSubject().setReference(patient);
		response.getAuthor().setReference(patient);
		response.getAuthoredElement().setValueAsString("2026-03-" + (10 + day) + "T10:00:00+01:00");
		BigDecimal quarter = BigDecimal.valueOf(total).divide(BigDecimal.valueOf(4));
		for (int i = 1; i <= 4; i++) {
			response.addItem().setLinkId("q" + i).addAnswer().setValue(new DecimalType(quarter));
		}
		return response;
	}

	private static List<Task> tasks(IGenericClient client, String patient) {
		return client
				.search()
				.forResource(Task.class)
				.where(new ReferenceClientParam("subject").hasId(patient))
				.returnBundle(Bundle.class)
				.execute()
				.getEntry()
				.stream()
				.map(e -> (Task) e.getResource())
				.toList();
	}

	/** The feedback service of both workers, noting every score it is given and any client processed twice at once. */
	private static final class RecordingFeedback extends FeedbackService {
		private final Set<String> inProgress = ConcurrentHashMap.newKeySet();
		private final List<String> applications = java.util.Collections.synchronizedList(new ArrayList<>());
		private final Set<String> workerThreads = ConcurrentHashMap.newKeySet();
		private final AtomicInteger overlaps = new AtomicInteger();

		RecordingFeedback(LaunchedServer server) {
			super(
					server.bean(FeedbackRuleCatalog.class),
					server.bean(RuleExpressions.class),
					server.bean(DerivedResourceStore.class));
		}

		@Override
		public void apply(ScoreChanges changes, TransactionDetails tx) {
			List<String> subjects = changes.current().stream()
					.map(o -> o.getSubject().getReference())
					.distinct()
					.toList();
			subjects.forEach(s -> {
				if (!inProgress.add(s)) {
					overlaps.incrementAndGet();
				}
			});
			workerThreads.add(Thread.currentThread().getName());
			try {
				changes.current().stream().map(Observation::getIdPart).forEach(applications::add);
				super.apply(changes, tx);
			} finally {
				subjects.forEach(inProgress::remove);
			}
		}
	}
}
