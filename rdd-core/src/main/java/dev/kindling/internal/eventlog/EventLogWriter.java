package dev.kindling.internal.eventlog;

import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every scheduler event of one application as a JSON line to {@code <dir>/<appId>.inprogress}
 * and, when the application ends, renames the log to {@code <dir>/<appId>} (or compresses it to
 * {@code <dir>/<appId>.gz}).
 *
 * <p>Contract:
 * <ol>
 *   <li>The first line is the application start ({@link EventJson#applicationStart}), the last the
 *       application end; in between, the events in the order the listener bus delivered them.</li>
 *   <li>It never slows or breaks a job: listener calls only offer the event to a bounded queue
 *       ({@value #QUEUE_CAPACITY}, default {@value #DEFAULT_QUEUE_CAPACITY} events); a dedicated thread serializes and writes. When the queue is
 *       full the event is dropped, counted in the end line, and one warning is logged.</li>
 *   <li>Written lines are flushed to the file at least every {@value #FLUSH_INTERVAL_MS} ms and at
 *       every job end, so a crash of the JVM loses at most the last second.</li>
 *   <li>An I/O error (unwritable directory, full disk) disables the log with one warning; jobs go on.
 *       The partial {@code .inprogress} file is left for the reader.</li>
 *   <li>{@link #close()} writes the end line, finishes the file and stops the thread; nothing stays
 *       open after it.</li>
 * </ol>
 *
 * <p>Threading: the listener methods run on the scheduler's event thread; {@link #close()} on the
 * thread closing the context, after the scheduler has posted its last event.
 */
public final class EventLogWriter implements SchedulerListener, AutoCloseable {

    /** Whether contexts write an event log (default false). */
    public static final String ENABLED = "kindling.eventLog.enabled";
    /** Directory the event logs are written to (default {@value #DEFAULT_DIR}). */
    public static final String DIR = "kindling.eventLog.dir";
    /** Whether a finished log is compressed with gzip (default true). */
    public static final String COMPRESS = "kindling.eventLog.compress";
    /**
     * How many events may wait for the writer thread before further ones are dropped (default
     * {@value #DEFAULT_QUEUE_CAPACITY}: a burst of 50,000 tiny tasks, about 10 MB of queued events).
     */
    public static final String QUEUE_CAPACITY = "kindling.eventLog.queueCapacity";
    /** Default of {@link #QUEUE_CAPACITY}. */
    public static final int DEFAULT_QUEUE_CAPACITY = 100_000;
    /** Default of {@link #DIR}, as Spark's {@code spark.eventLog.dir}. */
    public static final String DEFAULT_DIR = "/tmp/kindling-events";
    /** Suffix of the log of an application that is running (or crashed). */
    public static final String IN_PROGRESS = ".inprogress";
    /** Suffix of a compressed finished log. */
    public static final String GZ = ".gz";

    static final long FLUSH_INTERVAL_MS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(EventLogWriter.class);
    private static final Object END = new Object();

    private final ApplicationInfo app;
    private final Path dir;
    private final Path inProgress;
    private final boolean compress;
    private final BlockingQueue<Object> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean warned = new AtomicBoolean();
    private final OutputStream file;
    private final JsonGenerator out;
    private final Thread thread;
    private volatile boolean disabled;
    private volatile boolean closed;
    private volatile Path finishedLog;

    private EventLogWriter(ApplicationInfo app, Path dir, boolean compress, int capacity, OutputStream file,
                           JsonGenerator out) {
        this.app = app;
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.file = file;
        this.out = out;
        this.dir = dir;
        this.inProgress = dir.resolve(app.appId() + IN_PROGRESS);
        this.compress = compress;
        this.thread = new Thread(this::run, "kindling-event-log-" + app.appId());
        this.thread.setDaemon(true);
    }

    /**
     * Creates {@code <dir>/<appId>.inprogress} and starts the writer thread; the application-start line
     * is its first line. When the file cannot be created, logs one warning (naming the file, the
     * reason and the setting to change) and returns empty: the application runs without a log.
     */
    public static Optional<EventLogWriter> start(ApplicationInfo app, Path dir, boolean compress, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException(QUEUE_CAPACITY + " must be at least 1, not " + capacity
                    + "; the default is " + DEFAULT_QUEUE_CAPACITY);
        }
        Path file = dir.resolve(app.appId() + IN_PROGRESS);
        OutputStream out;
        JsonGenerator generator;
        try {
            Files.createDirectories(dir);
            out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            // The generator buffers; flush() passes through to the file. No separator between root values:
            // each line ends with the line break written after it.
            generator = EventJson.generator(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            generator.setRootValueSeparator(null);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Event log disabled: cannot create {} ({}); the application runs without an event log. "
                    + "Make the directory writable or set {} to another directory", file, e, DIR);
            return Optional.empty();
        }
        EventLogWriter writer = new EventLogWriter(app, dir, compress, capacity, out, generator);
        writer.queue.add(app);
        writer.thread.start();
        return Optional.of(writer);
    }

    /**
     * The event log settings of a context, read and checked before the context starts anything.
     *
     * @param dir      {@value #DIR}
     * @param compress {@value #COMPRESS}
     * @param capacity {@value #QUEUE_CAPACITY}
     */
    public record Settings(Path dir, boolean compress, int capacity) {

        /**
         * The settings when {@value #ENABLED} is true, else null; fails with a message naming the key,
         * the value and the fix when a value is malformed.
         */
        public static Settings of(dev.kindling.KindlingConf conf) {
            if (!conf.getBoolean(ENABLED, false)) {
                return null;
            }
            int capacity = conf.getInt(QUEUE_CAPACITY, DEFAULT_QUEUE_CAPACITY);
            if (capacity < 1) {
                throw new IllegalArgumentException(QUEUE_CAPACITY + " must be at least 1 (got " + capacity
                        + "); leave it unset for " + DEFAULT_QUEUE_CAPACITY);
            }
            String dir = conf.get(DIR, DEFAULT_DIR);
            try {
                return new Settings(Path.of(dir), conf.getBoolean(COMPRESS, true), capacity);
            } catch (java.nio.file.InvalidPathException e) {
                throw new IllegalArgumentException(DIR + " is not a valid path (got \"" + dir + "\"): "
                        + e.getMessage(), e);
            }
        }

        /**
         * Starts the log of a context: its configuration (secrets redacted) goes in the first line.
         * Empty when the file cannot be created (one warning).
         */
        public Optional<EventLogWriter> start(dev.kindling.KindlingConf conf, String appId, long startTime,
                                              String kindlingVersion) {
            ApplicationInfo app = new ApplicationInfo(EventJson.SCHEMA_VERSION, appId,
                    conf.get(dev.kindling.KindlingConf.APP_NAME, "kindling"), startTime,
                    System.getProperty("user.name", ""), kindlingVersion, ApplicationInfo.redact(conf.getAll()));
            return EventLogWriter.start(app, dir, compress, capacity);
        }
    }

    /** The file being written: {@code <dir>/<appId>.inprogress}. */
    public Path inProgressFile() {
        return inProgress;
    }

    /** The finished log after {@link #close()} ({@code <appId>} or {@code <appId>.gz}); empty before, or if disabled. */
    public Optional<Path> finishedLog() {
        return Optional.ofNullable(finishedLog);
    }

    /** Whether an I/O error disabled the log. */
    public boolean isDisabled() {
        return disabled;
    }

    @Override
    public void onJobStart(SchedulerEvent.JobStart event) {
        enqueue(event);
    }

    @Override
    public void onJobEnd(SchedulerEvent.JobEnd event) {
        enqueue(event);
    }

    @Override
    public void onStageSubmitted(SchedulerEvent.StageSubmitted event) {
        enqueue(event);
    }

    @Override
    public void onStageCompleted(SchedulerEvent.StageCompleted event) {
        enqueue(event);
    }

    @Override
    public void onTaskStart(SchedulerEvent.TaskStart event) {
        enqueue(event);
    }

    @Override
    public void onTaskEnd(SchedulerEvent.TaskEnd event) {
        enqueue(event);
    }

    @Override
    public void onExecutorAdded(SchedulerEvent.ExecutorAdded event) {
        enqueue(event);
    }

    @Override
    public void onExecutorRemoved(SchedulerEvent.ExecutorRemoved event) {
        enqueue(event);
    }

    @Override
    public void onBlockUpdated(SchedulerEvent.BlockUpdated event) {
        enqueue(event);
    }

    private void enqueue(SchedulerEvent event) {
        if (disabled || closed) {
            return;
        }
        if (!queue.offer(event)) {
            dropped.incrementAndGet();
            if (warned.compareAndSet(false, true)) {
                LOG.warn("Event log {} has {} events waiting to be written; dropping events rather than slowing jobs "
                        + "(the count is written in the log's last line). Raise {} to keep them",
                        inProgress, queue.size(), QUEUE_CAPACITY);
            }
        }
    }

    /**
     * Writes the application-end line, finishes the log (rename, or compress and delete the
     * {@code .inprogress} file) and stops the writer thread, waiting for it at most
     * {@code timeoutMillis}. Idempotent.
     */
    public void close(long timeoutMillis) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!disabled && !queue.offer(END, timeoutMillis, TimeUnit.MILLISECONDS)) {
                disable(new IOException("the writer thread did not take the end of the log within "
                        + timeoutMillis + " ms"));
            }
            thread.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("Event log writer for {} did not finish within {} ms (a stuck disk?); interrupting it. "
                    + "The log stays at {}", app.appId(), timeoutMillis, inProgress);
            thread.interrupt();
        }
    }

    /** {@link #close(long)} with a 10 s limit. */
    @Override
    public void close() {
        close(10_000);
    }

    private void run() {
        long lastFlush = System.nanoTime();
        boolean dirty = false;
        try {
            while (true) {
                long waitNanos = dirty ? lastFlush + TimeUnit.MILLISECONDS.toNanos(FLUSH_INTERVAL_MS) - System.nanoTime()
                        : TimeUnit.MILLISECONDS.toNanos(FLUSH_INTERVAL_MS);
                Object item = waitNanos > 0 ? queue.poll(waitNanos, TimeUnit.NANOSECONDS) : queue.poll();
                if (item == END) {
                    EventJson.writeApplicationEnd(out, System.currentTimeMillis(), dropped.get());
                    out.writeRaw('\n');
                    out.close();
                    finish();
                    return;
                }
                if (item instanceof ApplicationInfo a) {
                    EventJson.writeApplicationStart(out, a);
                } else if (item != null) {
                    EventJson.write(out, (SchedulerEvent) item);
                }
                if (item != null) {
                    out.writeRaw('\n');
                    dirty = true;
                }
                if (dirty && (item instanceof SchedulerEvent.JobEnd || item instanceof ApplicationInfo
                        || System.nanoTime() - lastFlush >= TimeUnit.MILLISECONDS.toNanos(FLUSH_INTERVAL_MS))) {
                    out.flush();
                    lastFlush = System.nanoTime();
                    dirty = false;
                }
            }
        } catch (IOException | RuntimeException e) {
            disable(e);
        } catch (InterruptedException e) {
            disable(new IOException("interrupted before the log was finished", e));
        }
    }

    /** Moves the finished log to its final name: gzip-compressed through a hidden temporary file, or renamed. */
    private void finish() throws IOException {
        if (compress) {
            Path target = notExisting(dir.resolve(app.appId() + GZ));
            Path tmp = dir.resolve("." + app.appId() + GZ + ".tmp");
            try (InputStream in = Files.newInputStream(inProgress);
                 OutputStream gz = new GZIPOutputStream(Files.newOutputStream(tmp), 64 * 1024)) {
                in.transferTo(gz);
            } catch (IOException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            Files.delete(inProgress);
            finishedLog = target;
        } else {
            Path target = notExisting(dir.resolve(app.appId()));
            Files.move(inProgress, target, StandardCopyOption.ATOMIC_MOVE);
            finishedLog = target;
        }
    }

    /** Never replaces a log: a name already taken (by a log of another run) leaves this one in progress. */
    private static Path notExisting(Path target) throws IOException {
        if (Files.exists(target)) {
            throw new java.nio.file.FileAlreadyExistsException(target.toString(), null,
                    "another log has this name; this one stays .inprogress");
        }
        return target;
    }

    private void disable(Exception cause) {
        if (disabled) {
            return;
        }
        disabled = true;
        queue.clear();
        try {
            out.close();
        } catch (IOException | RuntimeException ignored) {
            // the first error is the one reported
        }
        try {
            file.close(); // the writers leave it open when their last flush fails (a full disk)
        } catch (IOException | RuntimeException ignored) {
            // as above
        }
        LOG.warn("Event log disabled after an I/O error writing {} ({}); jobs go on without it. "
                + "Free disk space or set {} to a writable directory", inProgress, cause.toString(), DIR);
    }
}
