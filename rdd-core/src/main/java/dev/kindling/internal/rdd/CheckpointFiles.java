package dev.kindling.internal.rdd;

import dev.kindling.internal.storage.block.CloseableIterator;
import dev.kindling.internal.storage.serializer.KryoSerializer;
import dev.kindling.internal.storage.serializer.RecordReader;
import dev.kindling.internal.storage.serializer.RecordWriter;
import dev.kindling.internal.io.FsPath;
import java.io.BufferedInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.Iterator;
import java.util.Locale;

/**
 * Reads and writes the files of a reliable checkpoint: {@code <dir>/part-NNNNN}, one per
 * partition, each a Kryo stream of the partition's elements. A part file is written under a
 * temporary name and renamed when complete, so a reader never sees a partial one. The directory is
 * on the local disk or, for an {@code hdfs://} checkpoint directory, on a Hadoop file system
 * ({@link FsPath}).
 */
public final class CheckpointFiles {

    private CheckpointFiles() {
    }

    /** The file of partition {@code p} under {@code dir}. */
    public static FsPath part(FsPath dir, int p) {
        return dir.resolve(String.format(Locale.ROOT, "part-%05d", p));
    }

    /** Writes {@code elements} as partition {@code p}; returns the number written. */
    public static long write(FsPath dir, int p, long attempt, Iterator<?> elements, KryoSerializer serializer,
                             Runnable checkKilled) {
        FsPath tmp = dir.resolve(String.format(Locale.ROOT, ".part-%05d.attempt-%d", p, attempt));
        try {
            dir.fs().createDirectories(dir.path());
            long n = 0;
            try (RecordWriter w = serializer.newWriter(dir.fs().create(tmp.path()))) {
                while (elements.hasNext()) {
                    w.write(elements.next());
                    if ((++n & 1023) == 0) {
                        checkKilled.run();
                    }
                }
            }
            checkKilled.run();
            FsPath part = part(dir, p);
            if (dir.fs().exists(part.path())) {
                // Another attempt of this partition completed first; its file holds the same elements.
                return n;
            }
            dir.fs().rename(tmp.path(), part.path());
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write checkpoint file " + part(dir, p) + ": " + e.getMessage(), e);
        } finally {
            tmp.fs().deleteQuietly(tmp.path());
        }
    }

    /** Streams partition {@code p}'s elements; the file is closed at the end. */
    public static Iterator<Object> read(FsPath dir, int p, KryoSerializer serializer) {
        FsPath file = part(dir, p);
        RecordReader reader;
        try {
            reader = serializer.newReader(new BufferedInputStream(file.fs().open(file.path()), 64 * 1024));
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw new IllegalStateException("Checkpoint file " + file + " is missing; the checkpoint directory was"
                    + " changed after the RDD was checkpointed, so partition " + p + " cannot be read", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read checkpoint file " + file + ": " + e.getMessage(), e);
        }
        return CloseableIterator.reading(reader);
    }
}
