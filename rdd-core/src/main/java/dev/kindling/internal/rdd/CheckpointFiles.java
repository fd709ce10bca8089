package dev.kindling.internal.rdd;

import dev.kindling.internal.storage.block.CloseableIterator;
import dev.kindling.internal.storage.serializer.KryoSerializer;
import dev.kindling.internal.storage.serializer.RecordReader;
import dev.kindling.internal.storage.serializer.RecordWriter;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Locale;

/**
 * Reads and writes the files of a reliable checkpoint: {@code <dir>/part-NNNNN}, one per
 * partition, each a Kryo stream of the partition's elements. A part file is written under a
 * temporary name and renamed when complete, so a reader never sees a partial one.
 */
public final class CheckpointFiles {

    private CheckpointFiles() {
    }

    /** The file of partition {@code p} under {@code dir}. */
    public static Path part(Path dir, int p) {
        return dir.resolve(String.format(Locale.ROOT, "part-%05d", p));
    }

    /** Writes {@code elements} as partition {@code p}; returns the number written. */
    public static long write(Path dir, int p, long attempt, Iterator<?> elements, KryoSerializer serializer,
                             Runnable checkKilled) {
        Path tmp = dir.resolve(String.format(Locale.ROOT, ".part-%05d.attempt-%d", p, attempt));
        try {
            Files.createDirectories(dir);
            long n = 0;
            try (RecordWriter w = serializer.newWriter(Files.newOutputStream(tmp))) {
                while (elements.hasNext()) {
                    w.write(elements.next());
                    if ((++n & 1023) == 0) {
                        checkKilled.run();
                    }
                }
            }
            checkKilled.run();
            Files.move(tmp, part(dir, p), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write checkpoint file " + part(dir, p) + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /** Streams partition {@code p}'s elements; the file is closed at the end. */
    public static Iterator<Object> read(Path dir, int p, KryoSerializer serializer) {
        Path file = part(dir, p);
        RecordReader reader;
        try {
            reader = serializer.newReader(new BufferedInputStream(Files.newInputStream(file), 64 * 1024));
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("Checkpoint file " + file + " is missing; the checkpoint directory was"
                    + " changed after the RDD was checkpointed, so partition " + p + " cannot be read", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read checkpoint file " + file + ": " + e.getMessage(), e);
        }
        return CloseableIterator.reading(reader);
    }
}
