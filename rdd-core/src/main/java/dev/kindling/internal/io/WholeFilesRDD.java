package dev.kindling.internal.io;

import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.RDD;
import dev.kindling.scheduler.Dependency;
import dev.kindling.internal.scheduler.TaskMetric;
import dev.kindling.scheduler.TaskContext;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;

/**
 * One element per file: {@code (path, content)}, as Spark's {@code wholeTextFiles} and
 * {@code binaryFiles} give them. The key is the file's URI-style path {@code file:/abs/path} (as
 * Spark writes it). Files are packed in order into partitions as Hadoop's
 * {@code CombineFileInputFormat} does for Spark: a partition takes files until its total size
 * reaches the maximum split size, {@code ceil(totalBytes / minPartitions)} for text (Spark's
 * {@code WholeTextFileInputFormat}) and {@code min(128 MB, max(4 MB, (totalBytes + 4 MB per file) /
 * max(minPartitions, default parallelism)))} for binary files (Spark's {@code StreamFileInputFormat});
 * the rest forms the last partition. Each file is read when its element is reached, so a partition
 * holds one file in memory at a time.
 * Text content is decoded as UTF-8 (malformed bytes become U+FFFD); {@code .gz} files are
 * decompressed for text and left as they are for binary.
 *
 * @param <V> content type: {@code String} or {@code byte[]}
 */
public final class WholeFilesRDD<V> extends RDD<Pair<String, V>> implements FileInput {

    /** Reads one file's content. */
    @FunctionalInterface
    interface ContentReader<V> extends Serializable {
        V read(Path file) throws IOException;
    }

    /** Spark's {@code spark.files.maxPartitionBytes} default. */
    private static final long MAX_PARTITION_BYTES = 128L * 1024 * 1024;
    /** Spark's {@code spark.files.openCostInBytes} default. */
    private static final long OPEN_COST_BYTES = 4L * 1024 * 1024;

    private final String spec;
    private final List<List<String>> groups;
    private final ContentReader<V> reader;

    private WholeFilesRDD(KindlingContext context, String spec, List<List<String>> groups, ContentReader<V> reader) {
        super(context);
        this.spec = spec;
        this.groups = groups;
        this.reader = reader;
        setName(spec);
    }

    /** The text of each file; paths are resolved now, so a missing path fails here. */
    public static WholeFilesRDD<String> text(KindlingContext context, String spec, int minPartitions) {
        List<Path> files = TextFileRDD.expand(context, spec);
        long maxSplitSize = ceilDiv(totalSize(files, 0), Math.max(1, minPartitions));
        return new WholeFilesRDD<>(context, spec, pack(files, maxSplitSize), file -> {
            try (InputStream in = open(file, true)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        });
    }

    /** The bytes of each file; paths are resolved now, so a missing path fails here. */
    public static WholeFilesRDD<byte[]> binary(KindlingContext context, String spec, int minPartitions) {
        List<Path> files = TextFileRDD.expand(context, spec);
        long perCore = totalSize(files, OPEN_COST_BYTES) / Math.max(context.defaultParallelism(), minPartitions);
        long maxSplitSize = Math.min(MAX_PARTITION_BYTES, Math.max(OPEN_COST_BYTES, perCore));
        return new WholeFilesRDD<>(context, spec, pack(files, maxSplitSize), Files::readAllBytes);
    }

    private static InputStream open(Path file, boolean decompress) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (decompress && file.getFileName().toString().endsWith(".gz")) {
            return new GZIPInputStream(new BufferedInputStream(in, 64 * 1024));
        }
        return in;
    }

    /** Total size of {@code files}, adding {@code perFile} bytes for each. */
    private static long totalSize(List<Path> files, long perFile) {
        long total = 0;
        for (Path f : files) {
            total += size(f) + perFile;
        }
        return total;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the size of input file " + file.toAbsolutePath(), e);
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /**
     * Packs files, in order, into groups as CombineFileInputFormat does on one node: a group is
     * closed as soon as its total size reaches {@code maxSplitSize} (never when that is 0); the
     * remaining files form the last group. No group is empty.
     */
    static List<List<String>> pack(List<Path> files, long maxSplitSize) {
        List<List<String>> groups = new ArrayList<>();
        List<String> current = new ArrayList<>();
        long bytes = 0;
        for (Path f : files) {
            current.add(f.toAbsolutePath().toString());
            bytes += size(f);
            if (maxSplitSize > 0 && bytes >= maxSplitSize) {
                groups.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        return groups;
    }

    @Override
    public List<Path> inputPaths() {
        List<Path> all = new ArrayList<>(InputPaths.named(spec));
        groups.forEach(g -> g.forEach(f -> all.add(Path.of(f))));
        return all;
    }

    @Override
    protected int computeNumPartitions() {
        return groups.size();
    }

    @Override
    protected List<Dependency> computeDependencies() {
        return List.of();
    }

    @Override
    protected Iterator<Pair<String, V>> compute(int partition, TaskContext context) {
        Iterator<String> files = groups.get(partition).iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return files.hasNext();
            }

            @Override
            public Pair<String, V> next() {
                if (!files.hasNext()) {
                    throw new NoSuchElementException();
                }
                String path = files.next();
                context.checkKilled();
                try {
                    Path file = Path.of(path);
                    V content = reader.read(file);
                    context.metrics().addRecordsRead(1);
                    TaskMetric.INPUT_BYTES.record(context, Files.size(file)); // one file per record: not a hot path
                    return new Pair<>("file:" + path, content);
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot read input file " + path + ": " + e.getMessage(), e);
                }
            }
        };
    }

    @Override
    public String describe() {
        return getClass().getSimpleName() + "[" + id() + "] " + spec + " at " + creationSite();
    }
}
