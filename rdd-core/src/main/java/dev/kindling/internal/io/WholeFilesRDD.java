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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;

/**
 * One element per file: {@code (path, content)}, as Spark's {@code wholeTextFiles} and
 * {@code binaryFiles} give them. The key is the file's URI-style path {@code file:/abs/path} (as
 * Spark writes it), or its URI on another file system ({@code hdfs://nn:8020/dir/a.txt}). Files are
 * packed in order into partitions as Hadoop's
 * {@code CombineFileInputFormat} does for Spark: a partition takes files until its total size
 * reaches the maximum split size, {@code ceil(totalBytes / minPartitions)} for text (Spark's
 * {@code WholeTextFileInputFormat}) and {@code min(128 MB, max(4 MB, (totalBytes + 4 MB per file) /
 * max(minPartitions, default parallelism)))} for binary files (Spark's {@code StreamFileInputFormat});
 * the rest forms the last partition. Each file is read when its element is reached, so a partition
 * holds one file in memory at a time. On HDFS a partition prefers the hosts holding its files' blocks.
 * Text content is decoded as UTF-8 (malformed bytes become U+FFFD); {@code .gz} files are
 * decompressed for text and left as they are for binary.
 *
 * @param <V> content type: {@code String} or {@code byte[]}
 */
public final class WholeFilesRDD<V> extends RDD<Pair<String, V>> implements FileInput {

    /** Reads one file's content from its stream. */
    @FunctionalInterface
    interface ContentReader<V> extends Serializable {
        V read(InputStream in, String file) throws IOException;
    }

    /** Spark's {@code spark.files.maxPartitionBytes} default. */
    private static final long MAX_PARTITION_BYTES = 128L * 1024 * 1024;
    /** Spark's {@code spark.files.openCostInBytes} default. */
    private static final long OPEN_COST_BYTES = 4L * 1024 * 1024;

    private final String spec;
    /** Each partition's files, as indexes into {@code files}. */
    private final List<List<Integer>> groups;
    private final List<String> files;
    private final List<String> keys;
    private final long[] sizes;
    private final List<List<String>> hosts;
    /** The input paths, as strings ({@link Path} is not serializable). */
    private final List<String> inputs;
    private final transient OutputFs fs;
    private final InputFiles.Opener opener;
    private final ContentReader<V> reader;

    private WholeFilesRDD(KindlingContext context, String spec, InputFiles in, long maxSplitSize, ContentReader<V> reader) {
        super(context);
        this.spec = spec;
        this.files = List.copyOf(in.files());
        this.keys = in.files().stream().map(in::key).toList();
        this.sizes = in.sizes().clone();
        this.groups = pack(sizes, maxSplitSize);
        this.hosts = groups.stream().map(g -> hostsOf(g, in.hosts())).toList();
        this.inputs = in.inputPaths().stream().map(Path::toString).toList();
        this.fs = in.fs();
        this.opener = in.opener();
        this.reader = reader;
        setName(spec);
    }

    /** The text of each file; paths are resolved now, so a missing path fails here. */
    public static WholeFilesRDD<String> text(KindlingContext context, String spec, int minPartitions) {
        InputFiles in = InputFiles.list(context, spec);
        long maxSplitSize = ceilDiv(totalSize(in.sizes(), 0), Math.max(1, minPartitions));
        return new WholeFilesRDD<>(context, spec, in, maxSplitSize, (stream, file) -> {
            try (InputStream text = file.endsWith(".gz")
                    ? new GZIPInputStream(new BufferedInputStream(stream, 64 * 1024)) : stream) {
                return new String(text.readAllBytes(), StandardCharsets.UTF_8);
            }
        });
    }

    /** The bytes of each file; paths are resolved now, so a missing path fails here. */
    public static WholeFilesRDD<byte[]> binary(KindlingContext context, String spec, int minPartitions) {
        InputFiles in = InputFiles.list(context, spec);
        long perCore = totalSize(in.sizes(), OPEN_COST_BYTES) / Math.max(context.defaultParallelism(), minPartitions);
        long maxSplitSize = Math.min(MAX_PARTITION_BYTES, Math.max(OPEN_COST_BYTES, perCore));
        return new WholeFilesRDD<>(context, spec, in, maxSplitSize, (stream, file) -> {
            try (stream) {
                return stream.readAllBytes();
            }
        });
    }

    /** Total of {@code sizes}, adding {@code perFile} bytes for each. */
    private static long totalSize(long[] sizes, long perFile) {
        long total = 0;
        for (long s : sizes) {
            total += s + perFile;
        }
        return total;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** The hosts holding most bytes of a group's files, best first. */
    private List<String> hostsOf(List<Integer> group, List<List<String>> fileHosts) {
        Map<String, Long> bytes = new LinkedHashMap<>();
        for (int i : group) {
            for (String h : fileHosts.get(i)) {
                bytes.merge(h, sizes[i], Long::sum);
            }
        }
        return bytes.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(Map.Entry::getKey).toList();
    }

    /**
     * Packs files, in order, into groups as CombineFileInputFormat does on one node: a group is
     * closed as soon as its total size reaches {@code maxSplitSize} (never when that is 0); the
     * remaining files form the last group. No group is empty. Each group lists file indexes.
     */
    static List<List<Integer>> pack(long[] sizes, long maxSplitSize) {
        List<List<Integer>> groups = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < sizes.length; i++) {
            current.add(i);
            bytes += sizes[i];
            if (maxSplitSize > 0 && bytes >= maxSplitSize) {
                groups.add(List.copyOf(current));
                current = new ArrayList<>();
                bytes = 0;
            }
        }
        if (!current.isEmpty()) {
            groups.add(List.copyOf(current));
        }
        return groups;
    }

    /** {@link #pack(long[], long)} of local files, by name (for tests of the packing rule). */
    static List<List<String>> pack(List<Path> files, long maxSplitSize) {
        long[] sizes = new long[files.size()];
        for (int i = 0; i < sizes.length; i++) {
            try {
                sizes[i] = Files.size(files.get(i));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the size of input file " + files.get(i).toAbsolutePath(), e);
            }
        }
        return pack(sizes, maxSplitSize).stream()
                .map(g -> g.stream().map(i -> files.get(i).toAbsolutePath().toString()).toList()).toList();
    }

    @Override
    public List<Path> inputPaths() {
        return inputs.stream().map(Path::of).toList();
    }

    @Override
    public OutputFs fileSystem() {
        return fs;
    }

    @Override
    public List<String> preferredLocations(int partition) {
        return hosts.get(partition);
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
        Iterator<Integer> group = groups.get(partition).iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return group.hasNext();
            }

            @Override
            public Pair<String, V> next() {
                if (!group.hasNext()) {
                    throw new NoSuchElementException();
                }
                int i = group.next();
                String file = files.get(i);
                context.checkKilled();
                try {
                    V content = reader.read(opener.open(file), file);
                    context.metrics().addRecordsRead(1);
                    TaskMetric.INPUT_BYTES.record(context, sizes[i]); // one file per record: not a hot path
                    return new Pair<>(keys.get(i), content);
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot read input file " + file + ": " + e.getMessage(), e);
                }
            }
        };
    }

    @Override
    public String describe() {
        return getClass().getSimpleName() + "[" + id() + "] " + spec + " at " + creationSite();
    }
}
