package dev.kindling.io;

import dev.kindling.KindlingConf;
import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.scheduler.TaskContext;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
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
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Writes an RDD as text files with the commit protocol of Hadoop's FileOutputCommitter
 * (algorithm 1), so that readers never see partial output:
 * <ol>
 *   <li>Job setup: the output directory must not exist (unless {@value KindlingConf#OUTPUT_OVERWRITE});
 *       {@code out/_temporary/0} is created.</li>
 *   <li>Each task attempt writes {@code part-NNNNN} under
 *       {@code out/_temporary/0/_temporary/attempt_<job>_<partition>_<attempt>/}.</li>
 *   <li>Task commit renames the attempt directory to {@code out/_temporary/0/task_<job>_<partition>};
 *       only the first successful attempt of a partition commits, later ones are discarded.</li>
 *   <li>Job commit moves the part files into {@code out}, deletes {@code _temporary} and writes
 *       an empty {@code _SUCCESS}. A failed or cancelled job deletes the whole output directory.</li>
 * </ol>
 */
public final class TextOutput {

    private final KindlingContext context;

    /** Creates the writer for a context. */
    public TextOutput(KindlingContext context) {
        this.context = context;
    }

    /** Writes {@code rdd} under {@code path}; {@code codec} is null or {@code "gzip"}. */
    public <T> void save(RDD<T> rdd, String path, String codec) {
        String extension = extension(codec);
        saveParts(rdd, path, extension, (it, part, ctx) -> {
            int p = ctx.partitionId();
            long n = 0;
            try (OutputStream raw = Files.newOutputStream(part);
                 OutputStream stream = extension.isEmpty() ? raw : new GZIPOutputStream(raw, 64 * 1024);
                 BufferedWriter w = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 64 * 1024)) {
                while (it.hasNext()) {
                    T x = it.next();
                    if (x == null) {
                        throw new IllegalArgumentException("Cannot write a null element as text (partition " + p
                                + ", element " + n + "); filter out nulls or map them to a string first");
                    }
                    w.write(x.toString());
                    w.write('\n');
                    if ((++n & 1023) == 0) {
                        ctx.checkKilled();
                    }
                }
            }
            return n;
        });
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
        String jobTag = Long.toString(System.currentTimeMillis(), 36) + "_" + rdd.id();
        Path jobTemp = out.resolve("_temporary").resolve("0");
        try {
            createDirectories(jobTemp.resolve("_temporary"));
            String jobTempDir = jobTemp.toString();
            // An internal job: the part writer may hold the context's serializer, which is shared, not copied.
            context.runInternalJob(rdd, (ctx, it) -> {
                int p = ctx.partitionId();
                Path taskTemp = Path.of(jobTempDir);
                Path attemptDir = taskTemp.resolve("_temporary").resolve("attempt_" + jobTag + "_" + p + "_" + ctx.attemptNumber());
                Path taskDir = taskTemp.resolve("task_" + jobTag + "_" + p);
                ctx.addCompletionListener(() -> deleteQuietly(attemptDir));
                Files.createDirectories(attemptDir);
                Path part = attemptDir.resolve(String.format(Locale.ROOT, "part-%05d%s", p, extension));
                long n = writer.write(it, part, ctx);
                ctx.checkKilled();
                ctx.metrics().addRecordsWritten(n);
                commitTask(attemptDir, taskDir);
                return null;
            }, java.util.stream.IntStream.range(0, rdd.numPartitions()).toArray());
            commitJob(out, jobTemp.getParent());
        } catch (RuntimeException | Error e) {
            deleteQuietly(out);
            throw e;
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

    private static void prepareOutputDirectory(Path out, boolean overwrite) {
        if (Files.exists(out)) {
            if (!overwrite) {
                throw new IllegalStateException(new FileAlreadyExistsException("Output directory " + out
                        + " already exists; delete it, choose another path, or set " + KindlingConf.OUTPUT_OVERWRITE + "=true"));
            }
            deleteQuietly(out);
        }
    }

    /** Renames the attempt directory to the task directory unless another attempt committed first. */
    private static synchronized void commitTask(Path attemptDir, Path taskDir) throws IOException {
        if (Files.exists(taskDir)) {
            return;
        }
        Files.move(attemptDir, taskDir, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void commitJob(Path out, Path temporary) {
        try {
            Path jobTemp = temporary.resolve("0");
            try (Stream<Path> tasks = Files.list(jobTemp)) {
                for (Path task : tasks.filter(p -> p.getFileName().toString().startsWith("task_")).toList()) {
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
        } catch (IOException e) {
            // Best effort: leave what cannot be removed.
        }
    }
}
