package dev.kindling.io;

import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.TaskContext;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
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
 * The lines of text files, one partition per split. Splitting follows Hadoop: split size =
 * {@code max(1, min(totalBytes / minPartitions, kindling.input.splitSize))}, cut while the rest
 * is more than 1.1 splits; gzip files are one split; empty files give no split. A line belongs to
 * the split in which it starts: a reader not at byte 0 skips through its first line terminator,
 * and reads lines while their start is at or before its end, so no line is lost or repeated.
 * Malformed UTF-8 is replaced with U+FFFD, never fatal.
 */
public final class TextFileRDD extends RDD<String> {

    /** Configuration key of the largest split in bytes (default 64 MB). */
    public static final String SPLIT_SIZE = "kindling.input.splitSize";
    private static final long DEFAULT_SPLIT_SIZE = 64L * 1024 * 1024;
    private static final double SPLIT_SLOP = 1.1;

    private final List<FileSplit> splits;
    private final String spec;

    private TextFileRDD(KindlingContext context, String spec, List<FileSplit> splits) {
        super(context);
        this.spec = spec;
        this.splits = List.copyOf(splits);
        setName(spec);
    }

    /** Resolves the paths now (errors name the path before any job) and plans the splits. */
    public static TextFileRDD create(KindlingContext context, String spec, int minPartitions) {
        List<Path> files = InputPaths.expand(spec);
        long maxSplit = context.getConf().getLong(SPLIT_SIZE, DEFAULT_SPLIT_SIZE);
        return new TextFileRDD(context, spec, plan(files, Math.max(1, minPartitions), maxSplit));
    }

    /** Plans splits of {@code files}; public for tests of the boundary rules. */
    public static List<FileSplit> plan(List<Path> files, int minPartitions, long maxSplitSize) {
        long total = 0;
        List<Long> sizes = new ArrayList<>();
        for (Path f : files) {
            try {
                long size = Files.size(f);
                sizes.add(size);
                total += size;
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the size of input file " + f.toAbsolutePath(), e);
            }
        }
        long goal = total / Math.max(1, minPartitions);
        long splitSize = Math.max(1, Math.min(goal, maxSplitSize));
        List<FileSplit> splits = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            String path = files.get(i).toAbsolutePath().toString();
            long size = sizes.get(i);
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

    /** The planned splits. */
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
    protected Iterator<String> compute(int partition, TaskContext context) throws IOException {
        FileSplit split = splits.get(partition);
        InputStream raw = Files.newInputStream(split.file());
        context.addCompletionListener(() -> {
            try {
                raw.close();
            } catch (IOException ignored) {
                // Closing a read-only file cannot lose data.
            }
        });
        if (split.compressed()) {
            return lines(new LineReader(new GZIPInputStream(new BufferedInputStream(raw))), Long.MAX_VALUE, context);
        }
        long start = split.start();
        long end = start + split.length();
        raw.skipNBytes(start);
        LineReader reader = new LineReader(raw);
        long pos = start;
        if (start != 0) {
            pos += reader.readLine();
        }
        return lines(reader, end - pos, context);
    }

    /** Lines whose first byte is at most {@code budget} bytes past the current position. */
    private static Iterator<String> lines(LineReader reader, long budget, TaskContext context) {
        return new Iterator<>() {
            private long consumed;
            private String next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                if (done) {
                    return false;
                }
                try {
                    if (consumed > budget) {
                        done = true;
                        return false;
                    }
                    int n = reader.readLine();
                    if (n == 0) {
                        done = true;
                        return false;
                    }
                    consumed += n;
                    next = new String(reader.line(), 0, reader.lineLength(), StandardCharsets.UTF_8);
                    context.metrics().addRecordsRead(1);
                    return true;
                } catch (IOException e) {
                    throw new UncheckedIOException("Error reading input: " + e.getMessage(), e);
                }
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                String line = next;
                next = null;
                return line;
            }
        };
    }

    @Override
    public String describe() {
        return getClass().getSimpleName() + "[" + id() + "] " + spec + " at " + creationSite();
    }
}
