package org.alliancefhir.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * How a server JVM is started: the jar as built ({@code java -jar}), or the same jar extracted by Spring Boot's
 * {@code -Djarmode=tools extract} with a class-data-sharing archive from a training run ({@link CdsArchive}), the way
 * the Dockerfile runs it (with its collector, {@code -XX:+UseSerialGC}).
 *
 * @param label shown in the results
 * @param jar the jar to start
 * @param jvmOptions options placed before {@code -jar}
 */
record Launch(String label, Path jar, List<String> jvmOptions) {

	static Launch plain(Path jar) {
		return new Launch("java -jar", jar, List.of());
	}

	static Launch withArchive(Path extractedJar, Path archive) {
		return new Launch(
				"extracted + CDS",
				extractedJar,
				List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "-XX:+UseSerialGC"));
	}
}
