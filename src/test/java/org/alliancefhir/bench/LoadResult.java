package org.alliancefhir.bench;

import java.util.Arrays;
import java.util.List;

/**
 * What one bounded load run saw.
 *
 * @param requests requests sent
 * @param failures requests answered with another status than 2xx, or not answered
 * @param firstFailure the first failure's status and body, or empty
 * @param seconds wall-clock time of the run
 * @param latencies latency of each answered request in nanoseconds
 */
record LoadResult(int requests, int failures, String firstFailure, double seconds, long[] latencies) {

	double perSecond() {
		return requests / seconds;
	}

	/** The latency percentile in milliseconds (nearest rank). */
	double percentileMillis(double percentile) {
		return percentile(latencies, percentile) / 1e6;
	}

	static double percentile(long[] values, double percentile) {
		if (values.length == 0) {
			return Double.NaN;
		}
		long[] sorted = values.clone();
		Arrays.sort(sorted);
		int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
		return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
	}

	static double median(List<Double> values) {
		if (values.isEmpty()) {
			return Double.NaN;
		}
		double[] sorted =
				values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		int middle = sorted.length / 2;
		return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

	/** The runs as one: requests, failures, time and latencies added up. */
	static LoadResult merge(List<LoadResult> runs) {
		return new LoadResult(
				runs.stream().mapToInt(LoadResult::requests).sum(),
				runs.stream().mapToInt(LoadResult::failures).sum(),
				runs.stream()
						.map(LoadResult::firstFailure)
						.filter(f -> f != null && !f.isEmpty())
						.findFirst()
						.orElse(""),
				runs.stream().mapToDouble(LoadResult::seconds).sum(),
				runs.stream().flatMapToLong(r -> Arrays.stream(r.latencies())).toArray());
	}
}
