package dev.kindling.internal.io;

import dev.kindling.internal.scheduler.TaskContextAccess;
import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.scheduler.Dependency;
import dev.kindling.internal.scheduler.TaskMetric;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.internal.storage.serializer.KryoSerializer;
import dev.kindling.internal.storage.serializer.RecordReader;
import dev.kindling.internal.storage.serializer.RecordWriter;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The elements saved by {@link RDD#saveAsObjectFile(String)}: one partition per part file (in
 * file-name order), each file a Kryo stream of {@code Object[]} batches of up to
 * {@value #BATCH} elements. Files starting with {@code _} or {@code .} are skipped.
 */
public final class ObjectFileRDD<T> extends RDD<T> implements FileInput {

    /** Elements per serialized batch. */
    public static final int BATCH = 1024;

    private final List<String> files;
    private final List<List<String>> hosts;
    /** The input paths, as strings ({@link Path} is not serializable). */
    private final List<String> inputs;
    private final transient OutputFs fs;
    private final InputFiles.Opener opener;

    private ObjectFileRDD(KindlingContext context, InputFiles in) {
        super(context);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < in.files().size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing(in.files()::get));
        this.files = order.stream().map(in.files()::get).toList();
        this.hosts = order.stream().map(in.hosts()::get).toList();
        this.inputs = in.inputPaths().stream().map(Path::toString).toList();
        this.fs = in.fs();
        this.opener = in.opener();
    }

    /**
     * The object files named by {@code path} (a directory, file, glob or comma-separated list), on
     * the local disk or, for a URI such as {@code hdfs://nn/dir}, through Hadoop's FileSystem API.
     */
    public static <T> ObjectFileRDD<T> create(KindlingContext context, String path) {
        return new ObjectFileRDD<>(context, InputFiles.list(context, path));
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
        return files.size();
    }

    @Override
    protected List<Dependency> computeDependencies() {
        return List.of();
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Iterator<T> compute(int partition, TaskContext task) {
        String file = files.get(partition);
        RecordReader reader;
        CountingInputStream counted;
        try {
            counted = new CountingInputStream(opener.open(file));
            reader = TaskContextAccess.get().env(task).serializer().newReader(new BufferedInputStream(counted, 64 * 1024));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read object file " + file + ": " + e.getMessage(), e);
        }
        task.addCompletionListener(() -> {
            TaskMetric.INPUT_BYTES.record(task, counted.count());
            reader.close();
        });
        return new Iterator<>() {
            private Object[] batch = new Object[0];
            private int pos;

            @Override
            public boolean hasNext() {
                while (pos >= batch.length) {
                    if (!reader.hasMore()) {
                        reader.close();
                        return false;
                    }
                    Object next = reader.read();
                    if (!(next instanceof Object[] b)) {
                        throw new IllegalStateException(file + " is not an object file written by saveAsObjectFile"
                                + " (found " + (next == null ? "null" : next.getClass().getName()) + ")");
                    }
                    batch = b;
                    pos = 0;
                    task.metrics().addRecordsRead(b.length);
                }
                return true;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return (T) batch[pos++];
            }
        };
    }

    /** Writes {@code elements} as Kryo batches into {@code part}; returns how many were written. */
    static long writePart(Iterator<?> elements, OutputStream part, TaskContext ctx, KryoSerializer serializer)
            throws IOException {
        long n = 0;
        Object[] batch = new Object[BATCH];
        int size = 0;
        try (RecordWriter w = serializer.newWriter(part)) {
            while (elements.hasNext()) {
                batch[size++] = elements.next();
                n++;
                if (size == BATCH) {
                    w.write(batch);
                    size = 0;
                    ctx.checkKilled();
                }
            }
            if (size > 0) {
                w.write(Arrays.copyOf(batch, size));
            }
        }
        return n;
    }

    /** Saves {@code rdd} as object files under {@code path} with the text output's commit protocol. */
    public static <T> void save(TextOutput output, RDD<T> rdd, String path) {
        output.saveParts(rdd, path, "", (it, part, ctx) -> writePart(it, part, ctx,
                TaskContextAccess.get().env(ctx).serializer()));
    }
}
