package dev.kindling.internal.io;

import dev.kindling.internal.ContextInternals;
import dev.kindling.internal.executor.OutputCommits;
import dev.kindling.internal.scheduler.OutputCommitCoordinator;
import dev.kindling.internal.scheduler.TaskContextAccess;
import dev.kindling.KindlingConf;
import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.internal.scheduler.TaskMetric;
import dev.kindling.scheduler.TaskContext;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

/**
 * Writes an RDD as text files with the commit protocol of Hadoop's FileOutputCommitter
 * (algorithm 1), so that readers never see partial output as complete:
 * <ol>
 *   <li>Job setup ({@link SaveJob#begin}): the output path must be non-empty; the directory must not
 *       exist unless {@value KindlingConf#OUTPUT_OVERWRITE}, and then only within
 *       {@link OutputGuard}'s rules. The job claims it by creating {@code out/_temporary} atomically
 *       with a record of its process ({@link OutputClaim}); a second save to the same path, in this
 *       JVM or another, fails with "already being written by another job". Nothing is deleted here.</li>
 *   <li>Each task attempt writes {@code part-NNNNN} under
 *       {@code out/_temporary/0/_temporary/attempt_<job>_m_<partition>_<attempt>/}.</li>
 *   <li>Task commit renames the attempt directory to {@code out/_temporary/0/task_<job>_m_<partition>};
 *       only the first successful attempt of a partition commits, later ones are denied (and
 *       discard their files). A failed attempt's directory is deleted when the attempt ends.</li>
 *   <li>Job commit waits for any straggling attempt to end, deletes the replaced output (if
 *       overwriting), moves the part files into {@code out}, renames an empty {@code _SUCCESS} into
 *       place and deletes {@code _temporary}. A process killed at any moment leaves either no
 *       {@code _SUCCESS} or every part file beside it.</li>
 *   <li>A failed or cancelled job also waits for its attempts to end, then deletes what it made: its
 *       {@code _temporary}, and the output directory if it created it and nothing else is in it. An
 *       overwritten output stays as it was. Closing the context does the same for saves in progress
 *       before {@code close()} returns.</li>
 * </ol>
 * The same protocol runs on the local disk and, for a path such as {@code hdfs://nn/out}, on a Hadoop
 * file system through its FileSystem API (see {@link OutputFs}; its renames are atomic too).
 * Each element's {@code toString()} is one line, encoded as UTF-8; a {@code byte[]} or
 * {@link ByteSlice} element is written as its bytes, unchanged (the Hadoop Streaming runner relies on this). A null element is
 * an error.
 *
 * <p>Thread safety: several saves may run at once; to the same directory, only one of them runs.
 */
public final class TextOutput {

    private static final AtomicLong NEXT_JOB = new AtomicLong();

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TextOutput.class);

    private final KindlingContext context;
    private final OutputCommitCoordinator commits;
    /** Saves of this context in progress, aborted when the context closes. */
    private final Set<SaveJob> active = ConcurrentHashMap.newKeySet();

    /** Creates the writer for a context; its task attempts ask the context's output commit coordinator. */
    public TextOutput(KindlingContext context) {
        this(context, ContextInternals.of(context).outputCommits());
    }

    /** Creates the writer for a context, whose task attempts ask {@code commits} before they commit. */
    public TextOutput(KindlingContext context, OutputCommitCoordinator commits) {
        this.context = context;
        this.commits = commits;
    }

    /** Writes {@code rdd} under {@code path}; {@code codec} is null or {@code "gzip"}. */
    public <T> void save(RDD<T> rdd, String path, String codec) {
        String extension = extension(codec);
        saveParts(rdd, path, extension, (it, part, ctx) -> writeLines(it, part, extension, ctx));
    }

    /** Writes one partition's elements into a part file; returns how many were written. */
    @FunctionalInterface
    public interface PartWriter<T> extends java.io.Serializable {
        /** Writes {@code elements} into {@code part}, the new part file's stream, and closes it. */
        long write(Iterator<T> elements, OutputStream part, TaskContext context) throws Exception;
    }

    /**
     * Writes {@code rdd} under {@code path} with the commit protocol above, one
     * {@code part-NNNNN<extension>} per partition written by {@code writer}. Shared by text and
     * object files.
     */
    public <T> void saveParts(RDD<T> rdd, String path, String extension, PartWriter<T> writer) {
        FsPath out = FsPath.of(path, "Output path");
        KindlingConf conf = context.getConf();
        boolean overwrite = conf.getBoolean(KindlingConf.OUTPUT_OVERWRITE, false);
        boolean force = conf.getBoolean(KindlingConf.OUTPUT_OVERWRITE_FORCE, false);
        long waitMillis = conf.getLong(KindlingConf.SHUTDOWN_TIMEOUT_MS, 10_000);
        String jobTag = Long.toString(System.currentTimeMillis(), 36) + "_" + String.format(Locale.ROOT, "%04d",
                NEXT_JOB.incrementAndGet());
        List<Path> inputs = overwrite ? OutputGuard.inputsOf(rdd, out.fs()) : List.of();
        SaveJob job = SaveJob.begin(out, jobTag, overwrite, force, inputs);
        active.add(job);
        commits.registerOutput(jobTag, job);
        try {
            // Tasks know the job by its tag and directory only: they reach the driver's side through
            // their executor's OutputCommits (enter/exit, and the permission to commit a partition).
            String jobTemp = job.jobTemp().toString();
            ContextInternals.of(context).runInternalJob(rdd, (ctx, it) -> {
                writeTask(path, jobTag, jobTemp, extension, ctx, it, writer);
                return null;
            }, java.util.stream.IntStream.range(0, rdd.numPartitions()).toArray());
            job.commit(waitMillis);
        } catch (RuntimeException | Error e) {
            job.abort(waitMillis);
            throw e;
        } finally {
            commits.unregisterOutput(jobTag);
            active.remove(job);
        }
    }

    /**
     * Aborts every save of this context still in progress: waits up to {@code waitMillis} for its
     * attempts, then deletes its temporary files (see {@link SaveJob#abort}). Called by the context's
     * {@code close()} after its jobs were cancelled, so that nothing half-written stays behind.
     */
    public void abortActive(long waitMillis) {
        for (SaveJob job : List.copyOf(active)) {
            job.abort(waitMillis);
        }
    }

    private static <T> void writeTask(String outPath, String jobTag, String jobTempDir, String extension, TaskContext ctx,
                                      Iterator<T> it, PartWriter<T> writer) throws Exception {
        OutputCommits driver = TaskContextAccess.get().env(ctx).outputCommits();
        if (!driver.enter(jobTag)) {
            throw new IllegalStateException("the save job " + jobTag + " has already ended; this attempt writes nothing");
        }
        int p = ctx.partitionId();
        String task = jobTag + "_m_" + String.format(Locale.ROOT, "%06d", p);
        // The output's file system, found again on the executor from the path the user gave.
        OutputFs fs = FsPath.of(outPath, "Output path").fs();
        Path jobTemp = Path.of(jobTempDir);
        Path attemptDir = SaveJob.attemptsDir(jobTemp).resolve("attempt_" + task + "_" + ctx.attemptNumber());
        Path taskDir = jobTemp.resolve("task_" + task);
        try {
            // Never with parents: see SaveJob.attemptsDir.
            fs.createDirectory(attemptDir);
            Path part = attemptDir.resolve(String.format(Locale.ROOT, "part-%05d%s", p, extension));
            long n;
            try (OutputStream stream = fs.create(part)) {
                n = writer.write(it, stream, ctx);
            }
            ctx.checkKilled();
            TaskMetric.OUTPUT_RECORDS.record(ctx, n);
            TaskMetric.OUTPUT_BYTES.record(ctx, fs.size(part));
            if (driver.canCommit(ctx.stageId(), ctx.stageAttemptNumber(), p, ctx.attemptNumber())) {
                SaveJob.commitTask(fs, attemptDir, taskDir);
            } else {
                LOG.info("Task commit denied for {}: another attempt of partition {} commits it",
                        attemptDir.getFileName(), p);
            }
        } finally {
            fs.deleteQuietly(attemptDir);
            driver.exit(jobTag);
        }
    }

    /**
     * Writes each element as a line: {@code toString()} in UTF-8, or the bytes of a {@code byte[]}
     * or {@link ByteSlice} unchanged; gzip-compressed when {@code extension} is {@code .gz}.
     */
    private static <T> long writeLines(Iterator<T> it, OutputStream raw, String extension, TaskContext ctx)
            throws IOException {
        int p = ctx.partitionId();
        long n = 0;
        try (raw;
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
}
