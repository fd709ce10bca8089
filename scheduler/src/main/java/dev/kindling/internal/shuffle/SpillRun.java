package dev.kindling.internal.shuffle;

import dev.kindling.internal.storage.io.ChecksumInputStream;
import dev.kindling.internal.storage.io.ChecksumOutputStream;
import dev.kindling.internal.storage.io.ScratchFiles;
import dev.kindling.internal.storage.serializer.KryoSerializer;
import dev.kindling.internal.storage.serializer.RecordReader;
import dev.kindling.internal.storage.serializer.RecordWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One sorted run of key/value records spilled to a Kryo file by a reduce-side buffer
 * ({@link ExternalAggregator}, {@link ExternalSorter}), read back once as a stream and deleted.
 *
 * <p>The file is written in checksummed frames ({@link ChecksumOutputStream}): a damaged file fails
 * the task with a {@link dev.kindling.storage.CorruptFileException} naming it (a retry writes
 * the run again from scratch). A write that fails deletes the file; on a full disk it throws
 * {@link dev.kindling.storage.DiskFullException}, which fails the job without retries.
 */
final class SpillRun implements AutoCloseable {

    /** The kind of file, as errors name it. */
    static final String KIND = "sort spill run";

    private static final AtomicLong COUNTER = new AtomicLong();

    private final Path file;
    private final long bytes;
    private final long count;
    private final KryoSerializer serializer;
    private RecordReader reader;
    private long remaining;
    Object key;
    Object value;

    private SpillRun(Path file, long bytes, long count, KryoSerializer serializer) {
        this.file = file;
        this.bytes = bytes;
        this.count = count;
        this.serializer = serializer;
    }

    /**
     * Writes the first {@code count} records of {@code keys} and {@code values} (already in run
     * order: a buffer sorted in place) to a new file in {@code dir}.
     */
    static SpillRun write(Path dir, KryoSerializer serializer, Object[] keys, Object[] values, int count) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the spill directory " + dir + ": " + e.getMessage()
                    + "; check free space and permissions of kindling.local.dir", e);
        }
        Path file = dir.resolve("spill_" + COUNTER.incrementAndGet() + ".kryo");
        try {
            long n = 0;
            try (RecordWriter w = serializer.newWriter(new ChecksumOutputStream(Files.newOutputStream(file)))) {
                for (; n < count; n++) {
                    w.write(keys[(int) n]);
                    w.write(values[(int) n]);
                }
            }
            return new SpillRun(file, Files.size(file), n, serializer);
        } catch (Throwable e) {
            throw ScratchFiles.writeFailed(KIND, file, e);
        }
    }

    /** Bytes of the run's file. */
    long bytes() {
        return bytes;
    }

    /** Moves to the next record; false at the end. */
    boolean advance() {
        if (reader == null) {
            try {
                reader = serializer.newReader(new ChecksumInputStream(Files.newInputStream(file), KIND, file, 0, bytes));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + KIND + " " + file + ": " + e.getMessage(), e);
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
        ScratchFiles.deleteQuietly(file);
    }
}
