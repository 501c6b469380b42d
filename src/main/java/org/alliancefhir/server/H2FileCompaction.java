package org.alliancefhir.server;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.db.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Rewrites the mostly-dead chunks of an embedded H2 file database at a fixed interval, the housekeeping H2 leaves
 * undone when every commit is written at once ({@code WRITE_DELAY=0}), so the file stops growing with every commit.
 */
final class H2FileCompaction implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(H2FileCompaction.class);

	/** Chunks with less live data than this share (percent) are rewritten. */
	static final int TARGET_FILL_RATE = 80;

	/** About this much live data (bytes) is moved per run, which bounds how long a run holds H2's store lock. */
	static final int BYTES_PER_RUN = 16 * 1024 * 1024;

	private final DataSource dataSource;
	private final Duration interval;
	private ScheduledExecutorService executor;

	H2FileCompaction(DataSource dataSource, Duration interval) {
		this.dataSource = dataSource;
		this.interval = interval;
	}

	/**
	 * Runs one compaction if the data source is an embedded H2 file database whose commits are written at once.
	 *
	 * @return whether a chunk was rewritten
	 */
	boolean compactOnce() {
		try {
			return uncompactedStore()
					.map(store -> store.compact(TARGET_FILL_RATE, BYTES_PER_RUN))
					.orElse(false);
		} catch (RuntimeException e) {
			log.warn("H2 compaction skipped: {}", e.toString());
			return false;
		}
	}

	/** The data source's MVStore, if it is one H2 leaves uncompacted; the pool keeps the database open meanwhile. */
	private Optional<MVStore> uncompactedStore() {
		try (Connection connection = dataSource.getConnection()) {
			return storeWithoutBackgroundWriter(connection);
		} catch (SQLException e) {
			log.warn("H2 compaction: no connection: {}", e.toString());
			return Optional.empty();
		}
	}

	/** The MVStore behind an embedded, persistent H2 connection with {@code WRITE_DELAY=0}, if that is what it is. */
	static Optional<MVStore> storeWithoutBackgroundWriter(Connection connection) throws SQLException {
		if (!connection.isWrapperFor(JdbcConnection.class)
				|| !(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
			return Optional.empty();
		}
		Store store = session.getDatabase().getStore();
		if (store == null
				|| !store.getMvStore().isPersistent()
				|| store.getMvStore().getAutoCommitDelay() > 0) {
			return Optional.empty();
		}
		return Optional.of(store.getMvStore());
	}

	/** Schedules the runs when compaction is switched on and the database is one H2 leaves uncompacted. */
	@Override
	public synchronized void start() {
		if (interval.isZero() || interval.isNegative() || uncompactedStore().isEmpty()) {
			return;
		}
		log.info("H2 file compaction every {} ms", interval.toMillis());
		executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
			Thread thread = new Thread(runnable, "h2-file-compaction");
			thread.setDaemon(true);
			return thread;
		});
		executor.scheduleWithFixedDelay(
				this::compactOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** Lets a running compaction finish: an interrupted write would close H2's file channel. */
	@Override
	public synchronized void stop() {
		if (executor == null) {
			return;
		}
		executor.shutdown();
		try {
			if (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
				log.warn("H2 compaction still running at shutdown");
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		executor = null;
	}

	@Override
	public synchronized boolean isRunning() {
		return executor != null;
	}
}
