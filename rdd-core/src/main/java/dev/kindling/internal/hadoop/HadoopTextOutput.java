package dev.kindling.internal.hadoop;

import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.internal.scheduler.TaskContextAccess;
import dev.kindling.scheduler.TaskContext;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@code saveAsTextFile} onto a Hadoop file system, with the commit protocol of local output
 * (Hadoop's FileOutputCommitter, algorithm 1), through the file system's {@code rename}:
 * <ol>
 *   <li>An existing output directory is an error before anything is written (no overwrite here).</li>
 *   <li>Job setup creates {@code <out>/_temporary/0}.</li>
 *   <li>A task attempt writes {@code <out>/_temporary/0/_temporary/attempt_<task>_<n>/part-NNNNN}.</li>
 *   <li>Task commit renames that file to {@code <out>/_temporary/0/task_<task>/part-NNNNN}; a rename
 *       onto an existing file fails on HDFS, so only one attempt per partition commits, the others
 *       delete what they wrote.</li>
 *   <li>Job commit renames every committed part into {@code <out>}, deletes {@code _temporary}
 *       and creates an empty {@code _SUCCESS}.</li>
 *   <li>A failed job deletes {@code <out>} (which it created) and everything in it.</li>
 * </ol>
 */
final class HadoopTextOutput {

    private static final AtomicLong NEXT_JOB = new AtomicLong();

    private HadoopTextOutput() {
    }

    /** Writes {@code rdd}'s elements as lines under the directory URI {@code path}; {@code codec} is null or "gzip". */
    static <T> void save(KindlingContext context, RDD<T> rdd, String path, String codec) {
        if (codec != null && !codec.equalsIgnoreCase("gzip")) {
            throw new IllegalArgumentException("Unknown codec \"" + codec + "\" for " + path + "; use \"gzip\" or none");
        }
        String extension = codec == null ? "" : ".gz";
        Path out = new Path(URI.create(path));
        String jobTag = Long.toString(System.currentTimeMillis(), 36) + "_"
                + String.format(Locale.ROOT, "%04d", NEXT_JOB.incrementAndGet());
        String outUri;
        FileSystem fs;
        try {
            fs = out.getFileSystem(new Configuration());
            out = fs.makeQualified(out);
            outUri = out.toString();
            if (fs.exists(out)) {
                throw new IllegalStateException("Output directory " + out + " already exists; delete it"
                        + " (hdfs dfs -rm -r " + out + ") or choose another path");
            }
            if (!fs.mkdirs(new Path(out, "_temporary/0/_temporary"))) {
                throw new IOException("mkdirs returned false");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot set up the output directory " + path + " through Hadoop's"
                    + " FileSystem: " + e.getMessage() + "; check the URI and that the file system is reachable", e);
        }
        try {
            context.runJob(rdd, (ctx, it) -> {
                writeTask(outUri, jobTag, extension, ctx, it);
                return null;
            }, IntStream.range(0, rdd.numPartitions()).toArray());
            commitJob(fs, out);
        } catch (RuntimeException | Error e) {
            try {
                fs.delete(out, true);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static <T> void writeTask(String outUri, String jobTag, String extension, TaskContext ctx,
                                      Iterator<T> elements) throws IOException {
        int partition = ctx.partitionId();
        int attempt = ctx.attemptNumber();
        Path out = new Path(URI.create(outUri));
        FileSystem fs = out.getFileSystem(new Configuration());
        String task = jobTag + "_m_" + String.format(Locale.ROOT, "%06d", partition);
        String name = String.format(Locale.ROOT, "part-%05d%s", partition, extension);
        Path attemptDir = new Path(out, "_temporary/0/_temporary/attempt_" + task + "_" + attempt);
        Path taskDir = new Path(out, "_temporary/0/task_" + task);
        Path part = new Path(attemptDir, name);
        long n = 0;
        try (OutputStream raw = fs.create(part, false);
             OutputStream os = new BufferedOutputStream(extension.isEmpty() ? raw : new GZIPOutputStream(raw), 64 * 1024)) {
            while (elements.hasNext()) {
                T e = elements.next();
                if (e == null) {
                    throw new IllegalArgumentException("Cannot write a null element as text (partition " + partition
                            + ", element " + n + "); filter out nulls or map them to a string first");
                }
                os.write(e instanceof byte[] b ? b : e.toString().getBytes(StandardCharsets.UTF_8));
                os.write('\n');
                n++;
            }
        }
        if (!TaskContextAccess.get().env(ctx).outputCommits().canCommit(ctx.stageId(), ctx.stageAttemptNumber(),
                partition, attempt)) {
            fs.delete(attemptDir, true); // the driver's coordinator let another attempt commit this partition
            return;
        }
        fs.mkdirs(taskDir);
        if (!fs.rename(part, new Path(taskDir, name))) {
            // Another attempt of this partition committed first: this one is denied.
            fs.delete(attemptDir, true);
            return;
        }
        fs.delete(attemptDir, true);
    }

    private static void commitJob(FileSystem fs, Path out) {
        Path temporary = new Path(out, "_temporary");
        try {
            for (FileStatus task : fs.listStatus(new Path(temporary, "0"))) {
                if (!task.getPath().getName().startsWith("task_")) {
                    continue;
                }
                for (FileStatus part : fs.listStatus(task.getPath())) {
                    if (!fs.rename(part.getPath(), new Path(out, part.getPath().getName()))) {
                        throw new IOException("cannot rename " + part.getPath() + " into " + out);
                    }
                }
            }
            fs.delete(temporary, true);
            fs.create(new Path(out, "_SUCCESS"), false).close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot commit the output directory " + out + ": " + e.getMessage(), e);
        }
    }
}
