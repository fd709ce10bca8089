package dev.kindling.storage.block;

import dev.kindling.storage.serializer.KryoSerializer;
import dev.kindling.storage.serializer.RecordReader;
import dev.kindling.storage.serializer.RecordWriter;
import java.io.BufferedInputStream;
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

/**
 * Keeps blocks as Kryo-serialized files in one directory ({@code <localDir>/blocks}). A block is
 * written to a temporary name and renamed when complete, so a failed or cancelled write leaves no
 * visible block. A file deleted behind the store's back reads as a missing block.
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
final class DiskStore {

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
            try (RecordWriter w = serializer.newWriter(Files.newOutputStream(tmp))) {
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
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write block " + id.name() + " to " + dir + ": " + e.getMessage()
                    + "; check free space and permissions of kindling.local.dir", e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // left for close()
            }
        }
    }

    /** Whether a block is recorded (its file may still have been deleted externally). */
    boolean contains(BlockId id) {
        return entries.containsKey(id);
    }

    Entry entry(BlockId id) {
        return entries.get(id);
    }

    /** Streams the block's records; empty when absent or its file disappeared. */
    Optional<CloseableIterator<Object>> get(BlockId id) {
        Entry e = entries.get(id);
        if (e == null) {
            return Optional.empty();
        }
        InputStream in;
        try {
            in = new BufferedInputStream(Files.newInputStream(e.file()), 64 * 1024);
        } catch (NoSuchFileException missing) {
            entries.remove(id, e);
            return Optional.empty();
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot read block " + id.name() + " from " + e.file() + ": " + ex.getMessage(), ex);
        }
        return Optional.of(new FileIterator(serializer.newReader(in), e.count()));
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

    /** Reads a known number of records, then closes the file. */
    private static final class FileIterator implements CloseableIterator<Object> {
        private final RecordReader reader;
        private long remaining;

        FileIterator(RecordReader reader, long count) {
            this.reader = reader;
            this.remaining = count;
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
            Object v = reader.read();
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
