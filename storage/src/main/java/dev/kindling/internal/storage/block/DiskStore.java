package dev.kindling.internal.storage.block;

import dev.kindling.internal.storage.io.ChecksumInputStream;
import dev.kindling.internal.storage.io.ChecksumOutputStream;
import dev.kindling.storage.CorruptFileException;
import dev.kindling.internal.storage.io.ScratchFiles;
import dev.kindling.internal.storage.serializer.KryoSerializer;
import dev.kindling.internal.storage.serializer.RecordReader;
import dev.kindling.internal.storage.serializer.RecordWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps blocks as Kryo-serialized files in one directory ({@code <localDir>/blocks}). A block is
 * written to a temporary name and renamed when complete, so a failed or cancelled write leaves no
 * visible block. A file deleted behind the store's back reads as a missing block.
 *
 * <p>Blocks are written in checksummed frames ({@link ChecksumOutputStream}). {@link #get} checks
 * the whole file before returning a record, so a damaged block also reads as missing (and is
 * recomputed from lineage); the damage is logged with the file's path. A write that fails deletes
 * its file; on a full disk it throws {@link dev.kindling.storage.DiskFullException}.
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
final class DiskStore {

    /** The kind of file, as errors name it. */
    static final String KIND = "cache disk block";

    private static final Logger LOG = LoggerFactory.getLogger(DiskStore.class);

    /** A block on disk: its file, size and number of records. */
    record Entry(Path file, long bytes, long count) {
    }

    private final Path dir;
    private final KryoSerializer serializer;
    private final ConcurrentHashMap<BlockId, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong tempCounter = new AtomicLong();

    DiskStore(Path dir, KryoSerializer serializer) {
        this.dir = dir;
        this.serializer = serializer;
    }

    /** Writes {@code values} (then whatever {@code rest} still has) as block {@code id}; returns its size. */
    long put(BlockId id, Iterator<?> values, Runnable checkKilled) {
        Path tmp = dir.resolve(id.name() + ".tmp" + tempCounter.incrementAndGet());
        Path file = dir.resolve(id.name() + ".kryo");
        try {
            Files.createDirectories(dir);
            long count = 0;
            try (RecordWriter w = serializer.newWriter(new ChecksumOutputStream(Files.newOutputStream(tmp)))) {
                while (values.hasNext()) {
                    w.write(values.next());
                    if ((++count & 1023) == 0) {
                        checkKilled.run();
                    }
                }
            }
            checkKilled.run();
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            long bytes = Files.size(file);
            entries.put(id, new Entry(file, bytes, count));
            return bytes;
        } catch (Throwable e) {
            throw ScratchFiles.writeFailed(KIND, tmp, e);
        } finally {
            ScratchFiles.deleteQuietly(tmp);
        }
    }

    /** Whether a block is recorded (its file may still have been deleted externally). */
    boolean contains(BlockId id) {
        return entries.containsKey(id);
    }

    Entry entry(BlockId id) {
        return entries.get(id);
    }

    /**
     * Streams the block's records; empty when absent, its file disappeared, or its file fails its
     * checksum (then the file is deleted and the damage logged).
     */
    Optional<CloseableIterator<Object>> get(BlockId id) {
        Entry e = entries.get(id);
        if (e == null) {
            return Optional.empty();
        }
        InputStream in;
        try {
            ChecksumInputStream.verify(e.file(), KIND, e.bytes());
            in = new ChecksumInputStream(Files.newInputStream(e.file()), KIND, e.file(), 0, e.bytes());
        } catch (NoSuchFileException missing) {
            entries.remove(id, e);
            return Optional.empty();
        } catch (CorruptFileException corrupt) {
            drop(id, e, corrupt);
            return Optional.empty();
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot read " + KIND + " " + id.name() + " from " + e.file() + ": "
                    + ex.getMessage(), ex);
        }
        return Optional.of(new FileIterator(serializer.newReader(in), e.count(), corrupt -> drop(id, e, corrupt)));
    }

    /** Forgets a damaged block and deletes its file, so that it is recomputed. */
    private void drop(BlockId id, Entry e, CorruptFileException corrupt) {
        LOG.warn("Cached block {} is damaged; deleted it, it will be recomputed from lineage: {}", id.name(),
                corrupt.getMessage());
        entries.remove(id, e);
        ScratchFiles.deleteQuietly(e.file());
    }

    /** Deletes a block's file; returns whether it was there. */
    boolean remove(BlockId id) {
        Entry e = entries.remove(id);
        if (e == null) {
            return false;
        }
        try {
            Files.deleteIfExists(e.file());
        } catch (IOException ignored) {
            // removed at close at the latest
        }
        return true;
    }

    Iterable<BlockId> ids() {
        return entries.keySet();
    }

    void clear() {
        for (BlockId id : entries.keySet().toArray(new BlockId[0])) {
            remove(id);
        }
    }

    /**
     * Reads a known number of records, then closes the file. A frame damaged after {@link #get}
     * checked the file (it changed meanwhile) drops the block and fails the read.
     */
    private static final class FileIterator implements CloseableIterator<Object> {
        private final RecordReader reader;
        private final Consumer<CorruptFileException> onCorrupt;
        private long remaining;

        FileIterator(RecordReader reader, long count, Consumer<CorruptFileException> onCorrupt) {
            this.reader = reader;
            this.remaining = count;
            this.onCorrupt = onCorrupt;
            if (count == 0) {
                reader.close();
            }
        }

        @Override
        public boolean hasNext() {
            return remaining > 0;
        }

        @Override
        public Object next() {
            if (remaining <= 0) {
                throw new NoSuchElementException();
            }
            Object v;
            try {
                v = reader.read();
            } catch (CorruptFileException e) {
                reader.close();
                onCorrupt.accept(e);
                throw e;
            }
            if (--remaining == 0) {
                reader.close();
            }
            return v;
        }

        @Override
        public void close() {
            reader.close();
        }
    }
}
