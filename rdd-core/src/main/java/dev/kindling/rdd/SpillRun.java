package dev.kindling.rdd;

import dev.kindling.Pair;
import dev.kindling.storage.serializer.KryoSerializer;
import dev.kindling.storage.serializer.RecordReader;
import dev.kindling.storage.serializer.RecordWriter;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One sorted run of key/value records spilled to a Kryo file by a reduce-side buffer
 * ({@link ExternalAggregator}, {@link ExternalSorter}), read back once as a stream and deleted.
 */
final class SpillRun implements AutoCloseable {

    private static final AtomicLong COUNTER = new AtomicLong();

    private final Path file;
    private final long count;
    private final KryoSerializer serializer;
    private RecordReader reader;
    private long remaining;
    Object key;
    Object value;

    private SpillRun(Path file, long count, KryoSerializer serializer) {
        this.file = file;
        this.count = count;
        this.serializer = serializer;
    }

    /** Writes {@code records} (already in run order) to a new file in {@code dir}. */
    static SpillRun write(Path dir, KryoSerializer serializer, Iterator<? extends Pair<?, ?>> records) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("spill_" + COUNTER.incrementAndGet() + ".kryo");
            long n = 0;
            try (RecordWriter w = serializer.newWriter(Files.newOutputStream(file))) {
                while (records.hasNext()) {
                    var e = records.next();
                    w.write(e.key());
                    w.write(e.value());
                    n++;
                }
            }
            return new SpillRun(file, n, serializer);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write a spill file in " + dir + ": " + e.getMessage()
                    + "; check free space in kindling.local.dir", e);
        }
    }

    /** Moves to the next record; false at the end. */
    boolean advance() {
        if (reader == null) {
            try {
                reader = serializer.newReader(new BufferedInputStream(Files.newInputStream(file), 64 * 1024));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read spill file " + file + ": " + e.getMessage(), e);
            }
            remaining = count;
        }
        if (remaining == 0) {
            return false;
        }
        key = reader.read();
        value = reader.read();
        remaining--;
        return true;
    }

    /** Closes and deletes the file. Idempotent. */
    @Override
    public void close() {
        if (reader != null) {
            reader.close();
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // deleted with the scratch directory at close
        }
    }
}
