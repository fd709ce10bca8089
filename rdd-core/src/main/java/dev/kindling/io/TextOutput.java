package dev.kindling.io;

import dev.kindling.KindlingConf;
import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.scheduler.TaskContext;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an RDD as text files with the commit protocol of Hadoop's FileOutputCommitter
 * (algorithm 1), so that readers never see partial output:
 * <ol>
 *   <li>Job setup: the output directory must not exist (unless {@value KindlingConf#OUTPUT_OVERWRITE});
 *       {@code out/_temporary/0/_temporary} is created.</li>
 *   <li>Each task attempt writes {@code part-NNNNN} under
 *       {@code out/_temporary/0/_temporary/attempt_<job>_m_<partition>_<attempt>/}.</li>
 *   <li>Task commit renames the attempt directory to {@code out/_temporary/0/task_<job>_m_<partition>};
 *       only the first successful attempt of a partition commits, later ones are denied (and
 *       discard their files). A failed attempt's directory is deleted when the attempt ends.</li>
 *   <li>Job commit waits for any straggling attempt to end, moves the part files into {@code out},
 *       deletes {@code _temporary} and writes an empty {@code _SUCCESS}. A failed or cancelled job
 *       also waits for its attempts to end, then deletes the whole output directory.</li>
 * </ol>
 * Each element's {@code toString()} is one line, encoded as UTF-8; a {@code byte[]} or
 * {@link ByteSlice} element is written as its bytes, unchanged (the Hadoop Streaming runner relies on this). A null element is
 * an error.
 *
 * <p>Thread safety: several saves may run at once, to different directories.
 */
public final class TextOutput {

    private static final Logger LOG = LoggerFactory.getLogger(TextOutput.class);
    private static final AtomicLong NEXT_JOB = new AtomicLong();
    /** Save jobs in progress, by job tag; tasks find their job's state here. */
    private static final ConcurrentHashMap<String, SaveState> ACTIVE = new ConcurrentHashMap<>();

    private final KindlingContext context;

    /** Creates the writer for a context. */
    public TextOutput(KindlingContext context) {
        this.context = context;
    }

    /** Writes {@code rdd} under {@code path}; {@code codec} is null or {@code "gzip"}. */
    public <T> void save(RDD<T> rdd, String path, String codec) {
        String extension = extension(codec);
        saveParts(rdd, path, extension, (it, part, ctx) -> writeLines(it, part, extension, ctx));
    }

    /** Writes one partition's elements into a part file; returns how many were written. */
    @FunctionalInterface
    public interface PartWriter<T> {
        /** Writes {@code elements} into the new file {@code part}. */
        long write(Iterator<T> elements, Path part, TaskContext context) throws Exception;
    }

    /**
     * Writes {@code rdd} under {@code path} with the commit protocol above, one
     * {@code part-NNNNN<extension>} per partition written by {@code writer}. Shared by text and
     * object files.
     */
    public <T> void saveParts(RDD<T> rdd, String path, String extension, PartWriter<T> writer) {
        Path out = Path.of(path).toAbsolutePath();
        boolean overwrite = context.getConf().getBoolean(KindlingConf.OUTPUT_OVERWRITE, false);
        prepareOutputDirectory(out, overwrite);
        String jobTag = Long.toString(System.currentTimeMillis(), 36) + "_" + String.format(Locale.ROOT, "%04d",
                NEXT_JOB.incrementAndGet());
        Path jobTemp = out.resolve("_temporary").resolve("0");
        SaveState state = new SaveState();
        ACTIVE.put(jobTag, state);
        long waitMillis = context.getConf().getLong(KindlingConf.SHUTDOWN_TIMEOUT_MS, 10_000);
        try {
            createDirectories(jobTemp.resolve("_temporary"));
            String jobTempDir = jobTemp.toString();
            // An internal job: the part writer may hold the context's serializer, which is shared, not copied.
            context.runInternalJob(rdd, (ctx, it) -> {
                writeTask(jobTag, Path.of(jobTempDir), extension, ctx, it, writer);
                return null;
            }, java.util.stream.IntStream.range(0, rdd.numPartitions()).toArray());
            state.closeAndAwait(waitMillis, out);
            commitJob(out, jobTemp.getParent());
        } catch (RuntimeException | Error e) {
            state.closeAndAwait(waitMillis, out);
            deleteQuietly(out);
            throw e;
        } finally {
            ACTIVE.remove(jobTag);
        }
    }

    private static <T> void writeTask(String jobTag, Path jobTemp, String extension, TaskContext ctx, Iterator<T> it,
                                      PartWriter<T> writer) throws Exception {
        SaveState state = ACTIVE.get(jobTag);
        if (state == null || !state.enter()) {
            throw new IllegalStateException("the save job " + jobTag + " has already ended; this attempt writes nothing");
        }
        int p = ctx.partitionId();
        String task = jobTag + "_m_" + String.format(Locale.ROOT, "%06d", p);
        Path attemptDir = jobTemp.resolve("_temporary").resolve("attempt_" + task + "_" + ctx.attemptNumber());
        Path taskDir = jobTemp.resolve("task_" + task);
        try {
            Files.createDirectories(attemptDir);
            Path part = attemptDir.resolve(String.format(Locale.ROOT, "part-%05d%s", p, extension));
            long n = writer.write(it, part, ctx);
            ctx.checkKilled();
            ctx.metrics().addRecordsWritten(n);
            state.commitTask(attemptDir, taskDir);
        } finally {
            deleteQuietly(attemptDir);
            state.exit();
        }
    }

    /**
     * Writes each element as a line: {@code toString()} in UTF-8, or the bytes of a {@code byte[]}
     * or {@link ByteSlice} unchanged; gzip-compressed when {@code extension} is {@code .gz}.
     */
    private static <T> long writeLines(Iterator<T> it, Path part, String extension, TaskContext ctx) throws IOException {
        int p = ctx.partitionId();
        long n = 0;
        try (OutputStream raw = Files.newOutputStream(part);
             OutputStream stream = extension.isEmpty() ? new BufferedOutputStream(raw, 64 * 1024)
                     : new GZIPOutputStream(raw, 64 * 1024)) {
            while (it.hasNext()) {
                T x = it.next();
                if (x == null) {
                    throw new IllegalArgumentException("Cannot write a null element as text (partition " + p
                            + ", element " + n + "); filter out nulls or map them to a string first");
                }
                if (x instanceof ByteSlice slice) {
                    stream.write(slice.array(), slice.offset(), slice.length());
                } else {
                    stream.write(x instanceof byte[] bytes ? bytes : x.toString().getBytes(StandardCharsets.UTF_8));
                }
                stream.write('\n');
                if ((++n & 1023) == 0) {
                    ctx.checkKilled();
                }
            }
        }
        return n;
    }

    /**
     * The tasks of one save: how many are writing, and whether the job has ended. Task commit and
     * the end of the job are serialised on this object, so no task commits after its job ended.
     */
    private static final class SaveState {
        private int live;
        private boolean closed;

        synchronized boolean enter() {
            if (closed) {
                return false;
            }
            live++;
            return true;
        }

        synchronized void exit() {
            live--;
            notifyAll();
        }

        /** Renames the attempt directory to the task directory unless another attempt committed first. */
        synchronized void commitTask(Path attemptDir, Path taskDir) throws IOException {
            if (closed) {
                throw new IllegalStateException("the save job ended before task commit of " + attemptDir.getFileName());
            }
            if (Files.exists(taskDir)) {
                LOG.info("Task commit denied for {}: {} was already committed by another attempt",
                        attemptDir.getFileName(), taskDir.getFileName());
                return;
            }
            Files.move(attemptDir, taskDir, StandardCopyOption.ATOMIC_MOVE);
        }

        /** Stops new attempts from writing and waits for running ones to end (killed ones stop quickly). */
        synchronized void closeAndAwait(long timeoutMillis, Path out) {
            closed = true;
            long deadline = System.currentTimeMillis() + timeoutMillis;
            boolean interrupted = false;
            while (live > 0) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    LOG.warn("{} task(s) writing to {} did not stop within {} ms; cleaning up anyway", live, out,
                            timeoutMillis);
                    break;
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create output directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String extension(String codec) {
        if (codec == null || codec.isEmpty()) {
            return "";
        }
        if (codec.equalsIgnoreCase("gzip") || codec.equalsIgnoreCase("gz")
                || codec.equals("org.apache.hadoop.io.compress.GzipCodec")) {
            return ".gz";
        }
        throw new IllegalArgumentException("Unsupported compression codec \"" + codec + "\"; use \"gzip\" or none");
    }

    /** Fails if {@code out} exists, unless {@code overwrite}, in which case it is deleted. */
    public static void prepareOutputDirectory(Path out, boolean overwrite) {
        if (Files.exists(out)) {
            if (!overwrite) {
                throw new IllegalStateException(new FileAlreadyExistsException("Output directory " + out
                        + " already exists; delete it, choose another path, or set " + KindlingConf.OUTPUT_OVERWRITE + "=true"));
            }
            deleteQuietly(out);
        }
    }

    private static void commitJob(Path out, Path temporary) {
        try {
            Path jobTemp = temporary.resolve("0");
            try (Stream<Path> tasks = Files.list(jobTemp)) {
                for (Path task : tasks.filter(p -> p.getFileName().toString().startsWith("task_")).sorted().toList()) {
                    try (Stream<Path> parts = Files.list(task)) {
                        for (Path part : parts.toList()) {
                            Files.move(part, out.resolve(part.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                        }
                    }
                }
            }
            deleteQuietly(temporary);
            Files.createFile(out.resolve("_SUCCESS"));
        } catch (IOException e) {
            throw new UncheckedIOException("Committing output to " + out + " failed: " + e.getMessage(), e);
        }
    }

    static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> all = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // Best effort: leave what cannot be removed.
        }
    }
}
