package dev.kindling.internal.io;

import dev.kindling.KindlingConf;
import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.TaskContext;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The lines of text files, one partition per split. Splitting follows Hadoop: split size =
 * {@code max(1, min(totalBytes / minPartitions, kindling.input.splitSize))} (on another file system,
 * each file's block size in place of the key unless it is set), cut while the rest
 * is more than 1.1 splits; gzip files are one split; empty files give no split. A line belongs to
 * the split in which it starts (see {@link SplitLineReader}), so no line is lost or repeated.
 * Lines are decoded as UTF-8 with malformed bytes replaced by U+FFFD, never fatal; the raw form
 * ({@link #createRaw}) gives each line's bytes untouched.
 *
 * @param <T> line type: {@code String} or {@code byte[]}
 */
public final class TextFileRDD<T> extends RDD<T> implements FileInput, SplitInput {

    /** Configuration key of the largest split in bytes (default 32 MB). */
    public static final String SPLIT_SIZE = "kindling.input.splitSize";
    /**
     * Default largest split: 32 MB, what Spark gets from a local file system's block size. Small
     * enough that the executor threads finish a large file together: a 200 MB file in 64 MB splits
     * (64, 64, 64, 8) keeps one of two threads busy for 128 MB while the other idles after 72.
     */
    public static final long DEFAULT_SPLIT_SIZE = 32L * 1024 * 1024;
    private static final double SPLIT_SLOP = 1.1;

    /** Turns a line's bytes into an element. */
    @FunctionalInterface
    public interface Decoder<T> extends Serializable {
        /**
         * The element of the line held in {@code bytes[offset, offset + length)}; {@code bytes} is
         * the reader's buffer, reused for the next line: copy what the element keeps.
         */
        T decode(byte[] bytes, int offset, int length);
    }

    private final List<FileSplit> splits;
    private final String spec;
    private final Decoder<T> decoder;
    /** The files read, absolute; empty ones have no split but are inputs all the same. */
    private final List<String> files;

    private TextFileRDD(KindlingContext context, String spec, List<Path> files, Decoder<T> decoder, int minPartitions) {
        super(context);
        this.spec = spec;
        this.splits = List.copyOf(plan(context, files, minPartitions));
        this.files = files.stream().map(f -> f.toAbsolutePath().toString()).toList();
        this.decoder = decoder;
        setName(spec);
    }

    /** Resolves the paths now (errors name the path before any job) and plans the splits. */
    public static TextFileRDD<String> create(KindlingContext context, String spec, int minPartitions) {
        return new TextFileRDD<>(context, spec, expand(context, spec),
                SplitLines::utf8, minPartitions);
    }

    /** Like {@link #create}, but each element is the line's bytes, undecoded (terminator removed). */
    public static TextFileRDD<byte[]> createRaw(KindlingContext context, String spec, int minPartitions) {
        return new TextFileRDD<>(context, spec, expand(context, spec), SplitLines::copy, minPartitions);
    }

    /** Expands {@code spec} with the context's success-marker rule. */
    static List<Path> expand(KindlingContext context, String spec) {
        return InputPaths.expand(spec, context.getConf().getBoolean(KindlingConf.INPUT_REQUIRE_SUCCESS_MARKER, false));
    }

    private static List<FileSplit> plan(KindlingContext context, List<Path> files, int minPartitions) {
        long maxSplit = context.getConf().getLong(SPLIT_SIZE, DEFAULT_SPLIT_SIZE);
        if (maxSplit < 1) {
            throw new IllegalArgumentException(SPLIT_SIZE + " must be at least 1 byte (got " + maxSplit + ")");
        }
        return plan(files, Math.max(1, minPartitions), maxSplit);
    }

    /** Plans splits of {@code files}; public for tests of the boundary rules. */
    public static List<FileSplit> plan(List<Path> files, int minPartitions, long maxSplitSize) {
        long[] sizes = new long[files.size()];
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            try {
                sizes[i] = Files.size(f);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the size of input file " + f.toAbsolutePath(), e);
            }
            paths.add(f.toAbsolutePath().toString());
        }
        return plan(paths, sizes, minPartitions, maxSplitSize);
    }

    /**
     * Plans splits of the files named {@code paths} (local paths or URIs of another file system),
     * whose sizes are {@code sizes}, with the rule in the class doc.
     */
    public static List<FileSplit> plan(List<String> paths, long[] sizes, int minPartitions, long maxSplitSize) {
        long[] blockSizes = new long[sizes.length];
        java.util.Arrays.fill(blockSizes, maxSplitSize);
        return plan(paths, sizes, blockSizes, minPartitions);
    }

    /**
     * Plans splits as Hadoop's {@code FileInputFormat} does, each file cut at
     * {@code max(1, min(totalBytes / minPartitions, blockSizes[i]))}: its own block size (on HDFS, the
     * block size it was written with), so a split lies in one block and its preferred hosts hold all of it.
     */
    public static List<FileSplit> plan(List<String> paths, long[] sizes, long[] blockSizes, int minPartitions) {
        long total = 0;
        for (long size : sizes) {
            total += size;
        }
        long goal = total / Math.max(1, minPartitions);
        List<FileSplit> splits = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            String path = paths.get(i);
            long size = sizes[i];
            long splitSize = Math.max(1, Math.min(goal, blockSizes[i]));
            if (size == 0) {
                continue;
            }
            if (path.endsWith(".gz")) {
                splits.add(new FileSplit(path, 0, -1));
                continue;
            }
            long remaining = size;
            while ((double) remaining / splitSize > SPLIT_SLOP) {
                splits.add(new FileSplit(path, size - remaining, splitSize));
                remaining -= splitSize;
            }
            if (remaining > 0) {
                splits.add(new FileSplit(path, size - remaining, remaining));
            }
        }
        return splits;
    }

    @Override
    public List<Path> inputPaths() {
        List<Path> all = new ArrayList<>(InputPaths.named(spec));
        files.forEach(f -> all.add(Path.of(f)));
        return all;
    }

    /** The planned splits. */
    @Override
    public List<FileSplit> splits() {
        return splits;
    }

    @Override
    protected int computeNumPartitions() {
        return splits.size();
    }

    @Override
    protected List<Dependency> computeDependencies() {
        return List.of();
    }

    @Override
    protected Iterator<T> compute(int partition, TaskContext context) throws IOException {
        FileSplit split = splits.get(partition);
        return SplitLines.read(SplitLineReader.open(split), split, decoder, context);
    }

    @Override
    public String describe() {
        return getClass().getSimpleName() + "[" + id() + "] " + spec + " at " + creationSite();
    }
}
