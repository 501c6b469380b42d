package org.alliancefhir.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs the benchmark cases against the built jar and writes one Markdown report. Started by {@code mvn -Pbench verify}
 * (see {@code bench/README.md}); system properties: {@code bench.mode} ({@code full} or {@code smoke}),
 * {@code bench.cases} (e.g. {@code 2,4}), {@code bench.jar}, {@code bench.results} (where to write the report).
 */
public final class BenchmarkMain {

	private BenchmarkMain() {}

	public static void main(String[] args) {
		BenchSettings settings = BenchSettings.named(System.getProperty("bench.mode", "full"));
		Set<Integer> cases = parseCases(System.getProperty("bench.cases", "1,2,3,4,5,6"));
		Path jar = Path.of(System.getProperty("bench.jar", "target/alliance-fhir-server-0.1.0.jar"));
		Path results = Path.of(System.getProperty("bench.results", "bench/RESULTS.md"));
		boolean archive = !"plain".equals(System.getProperty("bench.launch", "cds"));
		Report report = run(settings, cases, jar, archive, results);
		System.out.println();
		System.out.println(report.markdown());
		System.exit(report.failures().isEmpty() ? 0 : 1);
	}

	/** What a run produced: the Markdown report and every failed request. */
	public record Report(String markdown, List<String> failures) {}

	/**
	 * Runs the given cases and writes the report to {@code results}.
	 *
	 * @param archive run the servers as the Dockerfile does (extracted jar with a CDS archive) rather than
	 *     {@code java -jar}; the start-up case measures both
	 */
	public static Report run(BenchSettings settings, Set<Integer> cases, Path jar, boolean archive, Path results) {
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException("no server jar at " + jar + "; run mvn package first");
		}
		String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
		String loadBefore = loadAverage();
		Path workDir = createWorkDir();
		List<ResultSection> sections = new ArrayList<>();
		boolean completed = false;
		try {
			// a copy, so a rebuild of target/ during the run cannot pull the jar from under a running server
			Launch plain = Launch.plain(copy(jar, workDir.resolve(jar.getFileName())));
			Launch product = archive ? CdsArchive.prepare(jar, workDir.resolve("cds")) : plain;
			BenchContext context = new BenchContext(settings, plain, product, workDir);
			// the cases the targets hinge on first; the report is rewritten after each case, so an interrupted run
			// still leaves what it measured
			Runnable writeReport =
					() -> write(results, markdown(settings, cases, started, loadBefore, product, sections, context));
			List<Supplier<List<ResultSection>>> runs = new ArrayList<>();
			if (cases.contains(2) || cases.contains(3) || cases.contains(6)) {
				runs.add(() -> new WriteCases().run(context, cases.contains(2), cases.contains(3), cases.contains(6)));
			}
			if (cases.contains(4)) {
				runs.add(() -> List.of(new TrendQueryCase().run(context)));
			}
			if (cases.contains(5)) {
				runs.add(() -> List.of(new StartupCase().run(context)));
			}
			if (cases.contains(1)) {
				runs.add(() -> List.of(new EngineCase().run(context)));
			}
			for (Supplier<List<ResultSection>> run : runs) {
				sections.addAll(run.get());
				writeReport.run();
			}
			String markdown = markdown(settings, cases, started, loadBefore, product, sections, context);
			write(results, markdown);
			completed = true;
			return new Report(markdown, List.copyOf(context.failures()));
		} finally {
			if (completed) {
				deleteQuietly(workDir);
			} else {
				BenchContext.log("kept the server logs of the failed run in %s", workDir);
			}
		}
	}

	private static String markdown(
			BenchSettings settings,
			Set<Integer> cases,
			String started,
			String loadBefore,
			Launch product,
			List<ResultSection> sections,
			BenchContext context) {
		List<ResultSection> sorted = new ArrayList<>(sections);
		sorted.sort(Comparator.comparing(ResultSection::title));
		return header(settings, cases, started, loadBefore, product)
				+ sorted.stream().map(ResultSection::markdown).collect(Collectors.joining())
				+ failures(context.failures());
	}

	static Set<Integer> parseCases(String list) {
		return Arrays.stream(list.split(","))
				.map(String::trim)
				.filter(s -> !s.isEmpty())
				.map(Integer::valueOf)
				.collect(Collectors.toCollection(TreeSet::new));
	}

	private static String header(
			BenchSettings settings, Set<Integer> cases, String started, String loadBefore, Launch product) {
		Runtime runtime = Runtime.getRuntime();
		return "# Benchmark results\n\n"
				+ "Written by `BenchmarkMain` (" + settings.label() + " run of case(s) "
				+ cases.stream().map(String::valueOf).collect(Collectors.joining(", "))
				+ "); see `bench/README.md` for what each case"
				+ " measures. Every server is the built jar in its own JVM on 127.0.0.1, driven over HTTP by this"
				+ " harness on the same machine.\n\n"
				+ "| | |\n|---|---|\n"
				+ "| date | " + started + " |\n"
				+ "| commit | " + git("rev-parse", "--short", "HEAD") + dirty() + " |\n"
				+ "| cores | " + runtime.availableProcessors() + " |\n"
				+ "| memory | " + memory() + " |\n"
				+ "| JVM | " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
				+ " |\n"
				+ "| servers started as | " + product.label() + " |\n"
				+ "| OS | " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " |\n"
				+ "| load average (1/5/15 min) | before " + loadBefore + ", after " + loadAverage() + " |\n\n";
	}

	private static String failures(List<String> failures) {
		if (failures.isEmpty()) {
			return "No request failed.\n";
		}
		return "## Failures\n\n" + failures.stream().map(f -> "- " + f + "\n").collect(Collectors.joining());
	}

	private static String memory() {
		try {
			return Files.readAllLines(Path.of("/proc/meminfo")).stream()
					.filter(l -> l.startsWith("MemTotal:"))
					.map(l -> String.format("%.1f GiB", Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0))
					.findFirst()
					.orElse("?");
		} catch (IOException e) {
			return "?";
		}
	}

	private static String loadAverage() {
		try {
			String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
			return parts[0] + " / " + parts[1] + " / " + parts[2];
		} catch (IOException e) {
			return String.format(
					"%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
		}
	}

	private static String git(String... args) {
		try {
			Process process = new ProcessBuilder(
							Stream.concat(Stream.of("git"), Arrays.stream(args)).toList())
					.redirectErrorStream(true)
					.start();
			String out = new String(process.getInputStream().readAllBytes()).trim();
			return process.waitFor() == 0 ? out : "?";
		} catch (IOException e) {
			return "?";
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return "?";
		}
	}

	/** Whether the code differs from the commit; the reports in {@code bench/} (rewritten during the run) do not count. */
	private static String dirty() {
		String status = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)bench");
		return status.isEmpty() ? "" : " (with uncommitted changes)";
	}

	private static Path copy(Path file, Path target) {
		try {
			return Files.copy(file, target);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private static Path createWorkDir() {
		try {
			return Files.createTempDirectory("alliance-bench-");
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private static void write(Path results, String markdown) {
		try {
			if (results.getParent() != null) {
				Files.createDirectories(results.getParent());
			}
			Files.writeString(results, markdown);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private static void deleteQuietly(Path folder) {
		if (Boolean.getBoolean("bench.keepWorkDir")) {
			BenchContext.log("kept work folder %s", folder);
			return;
		}
		try (Stream<Path> paths = Files.walk(folder)) {
			paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		} catch (IOException e) {
			BenchContext.log("could not delete %s: %s", folder, e);
		}
	}
}
