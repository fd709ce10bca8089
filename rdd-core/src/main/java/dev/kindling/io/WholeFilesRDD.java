package dev.kindling.io;

import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.RDD;
import dev.kindling.scheduler.Dependency;
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
 * Spark writes it). Files are grouped into contiguous partitions of about equal total size; each
 * file is read when its element is reached, so a partition holds one file in memory at a time.
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
        return new WholeFilesRDD<>(context, spec, group(TextFileRDD.expand(context, spec), minPartitions), file -> {
            try (InputStream in = open(file, true)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        });
    }

    /** The bytes of each file; paths are resolved now, so a missing path fails here. */
    public static WholeFilesRDD<byte[]> binary(KindlingContext context, String spec, int minPartitions) {
        return new WholeFilesRDD<>(context, spec, group(TextFileRDD.expand(context, spec), minPartitions), Files::readAllBytes);
    }

    private static InputStream open(Path file, boolean decompress) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (decompress && file.getFileName().toString().endsWith(".gz")) {
            return new GZIPInputStream(new BufferedInputStream(in, 64 * 1024));
        }
        return in;
    }

    /** Groups files, in order, into at most {@code minPartitions} partitions of about equal total bytes. */
    static List<List<String>> group(List<Path> files, int minPartitions) {
        int n = Math.max(1, Math.min(minPartitions, files.size()));
        long total = 0;
        long[] sizes = new long[files.size()];
        for (int i = 0; i < files.size(); i++) {
            try {
                sizes[i] = Files.size(files.get(i));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the size of input file " + files.get(i).toAbsolutePath(), e);
            }
            total += sizes[i];
        }
        long target = Math.max(1, (total + n - 1) / n);
        List<List<String>> groups = new ArrayList<>();
        List<String> current = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < files.size(); i++) {
            current.add(files.get(i).toAbsolutePath().toString());
            bytes += sizes[i];
            int filesLeft = files.size() - i - 1;
            int groupsLeft = n - groups.size() - 1;
            if ((bytes >= target || filesLeft == groupsLeft) && groupsLeft > 0 && filesLeft > 0) {
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
                    V content = reader.read(Path.of(path));
                    context.metrics().addRecordsRead(1);
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
