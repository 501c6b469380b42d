package org.alliancefhir.content;

/** Orders version strings such as {@code 1.10.0} after {@code 1.9.2}; non-numeric parts compare as text. */
final class SemanticVersions {

	private SemanticVersions() {}

	static int compare(String left, String right) {
		String[] a = left == null ? new String[0] : left.split("[.-]");
		String[] b = right == null ? new String[0] : right.split("[.-]");
		for (int i = 0; i < Math.max(a.length, b.length); i++) {
			String x = i < a.length ? a[i] : "";
			String y = i < b.length ? b[i] : "";
			int order = x.matches("\\d+") && y.matches("\\d+")
					? Long.compare(Long.parseLong(x), Long.parseLong(y))
					: x.compareTo(y);
			if (order != 0) {
				return order;
			}
		}
		return 0;
	}
}
