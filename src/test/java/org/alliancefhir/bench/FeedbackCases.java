package org.alliancefhir.bench;

import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.alliancefhir.server.ServerProcess;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;

/**
 * Case 6: the write path with the feedback after the commit, on the servers of case 2. End to end: scored POSTs
 * plus the feedback they cause, until the outbox is empty, against the scoring-off server; alert latency: how long
 * after its POST returned an alert is searchable; and 300 responses in one session, whose rate must hold.
 */
final class FeedbackCases {

	private static final Duration CAP = Duration.ofMinutes(5);
	private static final Duration DRAIN_CAP = Duration.ofMinutes(5);
	private static final int LATENCY_THREADS = 4;
	private static final Pattern PENDING = Pattern.compile("\"pending\":(\\d+)");
	private static final Pattern AUDIT_PENDING = Pattern.compile("\"auditPending\":(\\d+)");
	private static final Pattern TOTAL = Pattern.compile("\"total\":(\\d+)");
	private static final java.net.http.HttpClient HEALTH_CLIENT = java.net.http.HttpClient.newHttpClient();
	private static final String FEEDBACK_CODES = "https://alliancefhir.org/fhir/CodeSystem/alliance-feedback";

	private final AtomicInteger patients = new AtomicInteger();

	List<ResultSection> run(
			BenchContext context, ServerProcess on, ServerProcess off, Workload workload, String where) {
		return List.of(
				endToEnd(context, on, off, workload, where),
				alertLatency(context, on, where),
				sessionFlood(context, on, where));
	}

	private ResultSection endToEnd(
			BenchContext context, ServerProcess on, ServerProcess off, Workload workload, String where) {
		BenchSettings settings = context.settings();
		int threads = 4;
		int requests = settings.requestsPerRun() * threads;
		ResultSection section = new ResultSection(
				"6a. End to end: scored POSTs and their feedback, 4 clients (" + where + ")",
				"A: " + requests + " scored POSTs from 4 client threads (the workload of case 2), then wait until the"
						+ " server's feedback outbox is empty (`/actuator/health/outbox`); responses per second over both. B: the"
						+ " same POSTs to the scoring-off server (its audit outbox drained as well). "
						+ settings.repetitions()
						+ " interleaved repetitions. Server CPU: the server process's CPU time per response over the"
						+ " POSTs and the drain (median over repetitions), less distorted by a busy machine than"
						+ " responses/s; its ratio is B's over A's. Target: A/B >= 0.5.",
				"variant",
				"responses/s (median)",
				"per repetition",
				"drain after the last POST, s (median)",
				"server CPU ms per response",
				"failed");
		AtomicInteger sent = new AtomicInteger(1_000_000);
		HttpDriver onHttp = new HttpDriver(on.baseUrl());
		HttpDriver offHttp = new HttpDriver(off.baseUrl());
		List<LoadResult> a = new ArrayList<>();
		List<LoadResult> b = new ArrayList<>();
		List<Double> drains = new ArrayList<>();
		List<Double> cpuA = new ArrayList<>();
		List<Double> cpuB = new ArrayList<>();
		// the feedback still due from the cases before is not this case's
		drain(context, on);
		drain(context, off);
		for (int r = 0; r < settings.repetitions(); r++) {
			double onBefore = on.cpuSeconds();
			LoadResult posts = context.check(
					"6a A",
					HttpDriver.load(
							requests,
							threads,
							CAP,
							i -> onHttp.post("/QuestionnaireResponse", workload.response(sent.getAndIncrement()))));
			double drain = drain(context, on);
			drains.add(drain);
			cpuA.add(1000 * (on.cpuSeconds() - onBefore) / posts.requests());
			a.add(new LoadResult(
					posts.requests(),
					posts.failures(),
					posts.firstFailure(),
					posts.seconds() + drain,
					posts.latencies()));
			double offBefore = off.cpuSeconds();
			b.add(context.check(
					"6a B",
					HttpDriver.load(
							requests,
							threads,
							CAP,
							i -> offHttp.post("/QuestionnaireResponse", workload.response(sent.getAndIncrement())))));
			drain(context, off);
			cpuB.add(1000 * (off.cpuSeconds() - offBefore) / requests);
			BenchContext.log(
					"case 6a: A %.1f/s (drain %.1f s, %.0f CPU ms per response), B %.1f/s (%.0f CPU ms)",
					a.get(r).perSecond(), drain, cpuA.get(r), b.get(r).perSecond(), cpuB.get(r));
		}
		section.row(
				"A scored, feedback drained",
				LoadResult.median(WriteCases.map(a, LoadResult::perSecond)),
				WriteCases.joined(WriteCases.map(a, LoadResult::perSecond)),
				LoadResult.median(drains),
				String.format(Locale.ROOT, "%.0f", LoadResult.median(cpuA)),
				a.stream().mapToInt(LoadResult::failures).sum());
		section.row(
				"B scoring off",
				LoadResult.median(WriteCases.map(b, LoadResult::perSecond)),
				WriteCases.joined(WriteCases.map(b, LoadResult::perSecond)),
				"",
				String.format(Locale.ROOT, "%.0f", LoadResult.median(cpuB)),
				b.stream().mapToInt(LoadResult::failures).sum());
		section.row("**ratio A/B**", WriteCases.ratio(a, b), "", "", "", "");
		section.row("**ratio A/B in server CPU (B ms / A ms)**", WriteCases.medianRatio(cpuB, cpuA), "", "", "", "");
		return section;
	}

	private ResultSection alertLatency(BenchContext context, ServerProcess on, String where) {
		int alerts = context.settings().latencyAlertsPerClient();
		ResultSection section = new ResultSection(
				"6b. Alert latency, 4 clients (" + where + ")",
				"4 client threads each post " + alerts + " SRS responses below the cut-off, each for a patient of its"
						+ " own, one after the other; after each POST returns, the client polls"
						+ " `Task?subject=…&code=…|alert-below-cut-off&_summary=count` every 20 ms until the alert is"
						+ " found. Latency: POST returned → alert found. Target: p95 <= 2 s.",
				"alerts",
				"p50 ms",
				"p95 ms",
				"max ms",
				"not found within 60 s");
		HttpDriver http = new HttpDriver(on.baseUrl());
		List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
		AtomicInteger missing = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(LATENCY_THREADS);
		try {
			List<Future<?>> clients = new ArrayList<>();
			for (int t = 0; t < LATENCY_THREADS; t++) {
				clients.add(pool.submit(() -> {
					for (int k = 0; k < alerts; k++) {
						String patient = newPatient(http, "latency");
						http.send(http.post("/QuestionnaireResponse", lowSrs(patient)));
						long returned = System.nanoTime();
						if (awaitCount(
								http,
								"/Task?subject=" + patient + "&code=" + FEEDBACK_CODES
										+ "%7Calert-below-cut-off&_summary=count",
								1,
								Duration.ofSeconds(60))) {
							latencies.add(System.nanoTime() - returned);
						} else {
							missing.incrementAndGet();
						}
					}
					return null;
				}));
			}
			for (Future<?> client : clients) {
				client.get();
			}
		} catch (Exception e) {
			context.failure("6b: " + e);
		} finally {
			pool.shutdownNow();
		}
		long[] values = latencies.stream().mapToLong(Long::longValue).toArray();
		if (missing.get() > 0) {
			context.failure("6b: " + missing.get() + " alert(s) not searchable within 60 s");
		}
		section.row(
				values.length,
				LoadResult.percentile(values, 50) / 1e6,
				LoadResult.percentile(values, 95) / 1e6,
				LoadResult.percentile(values, 100) / 1e6,
				missing.get());
		return section;
	}

	private ResultSection sessionFlood(BenchContext context, ServerProcess on, String where) {
		BenchSettings settings = context.settings();
		int total = settings.sessionResponses();
		int block = settings.sessionBlock();
		HttpDriver http = new HttpDriver(on.baseUrl());
		String patient = newPatient(http, "session");
		http.send(http.post(
				"/QuestionnaireResponse",
				wav12("wav-12-therapist", patient, "Practitioner/fixture-therapist", 0, "f2")));
		ResultSection section = new ResultSection(
				"6c. " + total + " responses in one session (" + where + ")",
				"One patient, one day without an Encounter: a therapist's WAV-12, then " + total + " client WAV-12"
						+ " responses a minute apart, posted one at a time in blocks of " + block + "; after each block"
						+ " the outbox is drained, so a block's server CPU time covers its POSTs and their feedback. CPU"
						+ " ms per response hardly changes when other processes compete for the cores; responses/s does."
						+ " Target: the last block >= 0.8 × the first (in CPU per response: the last at most 1.25 × the"
						+ " first). Afterwards the session's split must be the last client response minus the"
						+ " therapist's.",
				"block",
				"responses/s (POSTs)",
				"p95 ms",
				"server CPU ms per response, feedback included");
		List<LoadResult> blocks = new ArrayList<>();
		List<Double> cpuPerResponse = new ArrayList<>();
		drain(context, on);
		for (int first = 0; first < total; first += block) {
			int offset = first;
			double cpuBefore = on.cpuSeconds();
			LoadResult result = context.check(
					"6c block " + first,
					HttpDriver.load(
							block,
							1,
							CAP,
							i -> http.post(
									"/QuestionnaireResponse",
									wav12(
											"wav-12-client",
											patient,
											patient,
											1 + offset + i,
											offset + i == total - 1 ? "f4" : "f1"))));
			drain(context, on);
			double cpu = 1000 * (on.cpuSeconds() - cpuBefore) / block;
			blocks.add(result);
			cpuPerResponse.add(cpu);
			section.row(first + "–" + (first + block), result.perSecond(), result.percentileMillis(95), cpu);
			BenchContext.log(
					"case 6c: block %d: %.1f responses/s, %.0f CPU ms per response", first, result.perSecond(), cpu);
		}
		double ratio = blocks.get(blocks.size() - 1).perSecond() / blocks.get(0).perSecond();
		double cpuRatio = cpuPerResponse.get(0) / cpuPerResponse.get(cpuPerResponse.size() - 1);
		String split = splitCheck(http, patient);
		if (!split.startsWith("correct")) {
			context.failure("6c: split indices " + split);
		}
		section.note(String.format(
				Locale.ROOT,
				"Last block / first block: **%.2f** in responses/s, **%.2f** in CPU per response (first / last)."
						+ " Split indices: %s.",
				ratio,
				cpuRatio,
				split));
		return section;
	}

	/** Whether the session's WAV-12 total split is the last client response (48) minus the therapist's (24). */
	private static String splitCheck(HttpDriver http, String patient) {
		Bundle found = Workload.json()
				.parseResource(
						Bundle.class,
						http.send(http.get("/Observation?subject=" + patient + "&code=" + FEEDBACK_CODES
								+ "%7Cwav-12-total-discrepancy")));
		if (found.getEntry().size() != 1) {
			return "wrong: " + found.getEntry().size() + " split Observations";
		}
		Observation split = (Observation) found.getEntry().get(0).getResource();
		String difference = split.getComponent().stream()
				.filter(c -> "split-family-therapist-gap"
						.equals(c.getCode().getCodingFirstRep().getCode()))
				.map(c -> c.getValueQuantity().getValue().stripTrailingZeros().toPlainString())
				.findFirst()
				.orElse("none");
		return "24".equals(difference) && split.getDerivedFrom().size() == 2
				? "correct (gap 24, 2 respondents)"
				: "wrong: gap " + difference + ", derived from "
						+ split.getDerivedFrom().size();
	}

	/** Waits until the server's outboxes (feedback and AuditEvents) are empty; the seconds it took. */
	static double drain(BenchContext context, ServerProcess server) {
		try {
			return awaitEmptyOutboxes(context, server);
		} catch (java.io.IOException e) {
			throw new java.io.UncheckedIOException(e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	private static double awaitEmptyOutboxes(BenchContext context, ServerProcess server)
			throws java.io.IOException, InterruptedException {
		java.net.http.HttpRequest health = java.net.http.HttpRequest.newBuilder(
						java.net.URI.create(server.baseUrl().replaceFirst("/fhir$", "") + "/actuator/health/outbox"))
				.header("Accept", "application/json")
				.GET()
				.build();
		long started = System.nanoTime();
		long deadline = started + DRAIN_CAP.toNanos();
		while (System.nanoTime() < deadline) {
			String status = HEALTH_CLIENT
					.send(health, java.net.http.HttpResponse.BodyHandlers.ofString())
					.body();
			Matcher pending = PENDING.matcher(status);
			Matcher auditPending = AUDIT_PENDING.matcher(status);
			if (pending.find()
					&& Long.parseLong(pending.group(1)) == 0
					&& auditPending.find()
					&& Long.parseLong(auditPending.group(1)) == 0) {
				return (System.nanoTime() - started) / 1e9;
			}
			pause(20);
		}
		context.failure("the feedback outbox of " + server.baseUrl() + " was not empty after " + DRAIN_CAP);
		return (System.nanoTime() - started) / 1e9;
	}

	private static boolean awaitCount(HttpDriver http, String search, int count, Duration cap) {
		long deadline = System.nanoTime() + cap.toNanos();
		while (System.nanoTime() < deadline) {
			Matcher total = TOTAL.matcher(http.send(http.get(search)));
			if (total.find() && Integer.parseInt(total.group(1)) >= count) {
				return true;
			}
			pause(20);
		}
		return false;
	}

	private String newPatient(HttpDriver http, String kind) {
		String id = "bench-" + kind + "-" + patients.getAndIncrement();
		Patient patient = new Patient();
		patient.setId(id);
		patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1990-01-01"));
		http.send(http.put("/Patient/" + id, Workload.json().encodeResourceToString(patient)));
		return "Patient/" + id;
	}

	/** The SRS fixture, whose total (31.7) is below the cut-off of 36. */
	private static String lowSrs(String patient) {
		QuestionnaireResponse response = Workload.fixture("srs");
		response.getSubject().setReference(patient);
		response.getAuthor().setReference(patient);
		response.setEncounter(null);
		return Workload.json().encodeResourceToString(response);
	}

	/** A WAV-12 response of the session's day, {@code minute} minutes after 08:00, every item answered {@code code}. */
	private static String wav12(String instrument, String patient, String author, int minute, String code) {
		QuestionnaireResponse response = Workload.fixture(instrument);
		response.getSubject().setReference(patient);
		response.getAuthor().setReference(author);
		response.setEncounter(null);
		response.getAuthoredElement()
				.setValueAsString("2026-02-02T" + LocalTime.of(8, 0).plusMinutes(minute) + ":00+01:00");
		response.getItem().stream().filter(i -> i.getLinkId().startsWith("q")).forEach(i -> {
			Coding coding = i.getAnswerFirstRep().getValueCoding();
			coding.setCode(code).setDisplay(null);
		});
		return Workload.json().encodeResourceToString(response);
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}
}
