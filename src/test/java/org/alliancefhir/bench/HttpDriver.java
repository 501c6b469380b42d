package org.alliancefhir.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Sends FHIR requests over loopback HTTP/1.1 with keep-alive, one at a time or as a bounded load: a fixed number of
 * requests from a fixed number of client threads, stopping early at a time cap, never retrying.
 */
final class HttpDriver {

	static final String FHIR_JSON = "application/fhir+json";
	private static final HttpClient CLIENT = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(10))
			.build();

	private final String baseUrl;

	HttpDriver(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	/** A POST of a FHIR JSON body that asks for no body back ({@code Prefer: return=minimal}). */
	HttpRequest post(String path, String json) {
		return builder(path)
				.header("Content-Type", FHIR_JSON)
				.header("Prefer", "return=minimal")
				.POST(HttpRequest.BodyPublishers.ofString(json))
				.build();
	}

	/** A POST that wants the server's answer in the body, e.g. of an operation. */
	HttpRequest postForBody(String path, String json) {
		return builder(path)
				.header("Content-Type", FHIR_JSON)
				.POST(HttpRequest.BodyPublishers.ofString(json))
				.build();
	}

	HttpRequest put(String path, String json) {
		return builder(path)
				.header("Content-Type", FHIR_JSON)
				.header("Prefer", "return=minimal")
				.PUT(HttpRequest.BodyPublishers.ofString(json))
				.build();
	}

	/** A GET that bypasses HAPI's search cache. */
	HttpRequest get(String path) {
		return builder(path).header("Cache-Control", "no-cache").GET().build();
	}

	/** Sends one request and returns the body, failing on any status but 2xx. */
	String send(HttpRequest request) {
		try {
			HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() / 100 != 2) {
				throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
						+ response.statusCode() + ": " + abbreviate(response.body()));
			}
			return response.body();
		} catch (IOException e) {
			throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	boolean isOk(String path) {
		try {
			HttpRequest request =
					builder(path).timeout(Duration.ofSeconds(5)).GET().build();
			return CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
		} catch (IOException e) {
			return false;
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** Whether a GET answers 200 with a body that contains the text. */
	boolean finds(String path, String text) {
		try {
			HttpRequest request =
					builder(path).timeout(Duration.ofSeconds(5)).GET().build();
			HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
			return response.statusCode() == 200 && response.body().contains(text);
		} catch (IOException e) {
			return false;
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Sends {@code count} requests from {@code threads} client threads, each waiting for its answer before sending
	 * the next; stops early when {@code cap} has passed. {@code request} builds the i-th request.
	 */
	static LoadResult load(int count, int threads, Duration cap, IntFunction<HttpRequest> request) {
		AtomicInteger next = new AtomicInteger();
		long[] latencies = new long[count];
		List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
		long started = System.nanoTime();
		long deadline = started + cap.toNanos();
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> workers = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				workers.add(pool.submit(() -> {
					int i;
					while ((i = next.getAndIncrement()) < count && System.nanoTime() < deadline) {
						HttpRequest built = request.apply(i);
						long sent = System.nanoTime();
						try {
							HttpResponse<String> response = CLIENT.send(built, HttpResponse.BodyHandlers.ofString());
							if (response.statusCode() / 100 != 2) {
								failures.add(response.statusCode() + " " + abbreviate(response.body()));
							}
						} catch (IOException | RuntimeException e) {
							failures.add(e.toString());
						} catch (InterruptedException e) {
							Thread.currentThread().interrupt();
							return;
						}
						latencies[i] = System.nanoTime() - sent;
					}
				}));
			}
			for (Future<?> worker : workers) {
				worker.get();
			}
		} catch (Exception e) {
			throw new IllegalStateException(e);
		} finally {
			pool.shutdownNow();
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		int sent = Math.min(next.get(), count);
		long[] measured =
				java.util.Arrays.stream(latencies, 0, sent).filter(l -> l > 0).toArray();
		return new LoadResult(sent, failures.size(), failures.isEmpty() ? "" : failures.get(0), seconds, measured);
	}

	private HttpRequest.Builder builder(String path) {
		return HttpRequest.newBuilder(URI.create(baseUrl + path))
				.timeout(Duration.ofMinutes(5))
				.header("Accept", FHIR_JSON);
	}

	private static String abbreviate(String body) {
		String flat = body == null ? "" : body.replaceAll("\\s+", " ");
		return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
	}
}
