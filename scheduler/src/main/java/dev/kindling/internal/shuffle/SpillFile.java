package dev.kindling.internal.shuffle;

import dev.kindling.internal.storage.io.ChecksumInputStream;
import dev.kindling.internal.storage.io.ChecksumOutputStream;
import dev.kindling.internal.storage.io.ScratchFiles;
import dev.kindling.internal.storage.serializer.KryoSerializer;
import dev.kindling.internal.storage.serializer.RecordReader;
import dev.kindling.internal.storage.serializer.RecordWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One file of shuffle map output on disk: the records of every reduce bucket, one segment per
 * bucket, Kryo-serialized as key, value, key, value... in checksummed frames
 * ({@link ChecksumOutputStream}). {@code offsets[r]} is where bucket r starts and {@code counts[r]}
 * how many records it holds. A write that fails deletes the file; one that fails on a full disk
 * throws {@link dev.kindling.storage.DiskFullException}. A read of a damaged segment throws
 * {@link dev.kindling.storage.CorruptFileException} before returning any of its records.
 */
record SpillFile(Path path, long[] offsets, int[] counts) {

    /** The kind of file, as errors name it. */
    static final String KIND = "shuffle spill file";

    /** Writes interleaved key/value buckets into a new file at {@code path}. */
    static SpillFile write(Path path, KryoSerializer serializer, Object[][] buckets, int[] sizes) {
        int n = buckets.length;
        long[] offsets = new long[n + 1];
        int[] counts = new int[n];
        try (OutputStream file = Files.newOutputStream(path)) {
            CountingStream out = new CountingStream(file);
            for (int r = 0; r < n; r++) {
                offsets[r] = out.count;
                counts[r] = sizes[r] / 2;
                if (sizes[r] == 0) {
                    continue;
                }
                try (RecordWriter w = serializer.newWriter(new ChecksumOutputStream(new KeepOpen(out)))) {
                    Object[] b = buckets[r];
                    for (int i = 0; i < sizes[r]; i++) {
                        w.write(b[i]);
                    }
                }
            }
            offsets[n] = out.count;
        } catch (Throwable e) {
            throw ScratchFiles.writeFailed(KIND, path, e);
        }
        return new SpillFile(path, offsets, counts);
    }

    /**
     * Opens a reader of bucket {@code reduceId}'s segment, checking its frames as they are read.
     * Throws {@link java.nio.file.NoSuchFileException} (wrapped) when the file was deleted.
     */
    RecordReader open(int reduceId, KryoSerializer serializer) {
        return serializer.newReader(openFrames(reduceId));
    }

    /**
     * Opens bucket {@code reduceId}'s segment as checked frames; {@link ChecksumInputStream#bytesConsumed()}
     * tells how much of the file was read. Throws {@link java.nio.file.NoSuchFileException} (wrapped)
     * when the file was deleted.
     */
    ChecksumInputStream openFrames(int reduceId) {
        try {
            FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
            long start = offsets[reduceId];
            ch.position(start);
            return new ChecksumInputStream(Channels.newInputStream(ch), KIND, path, start,
                    offsets[reduceId + 1] - start);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + KIND + " " + path + ": " + e.getMessage(), e);
        }
    }

    void delete() {
        ScratchFiles.deleteQuietly(path);
    }

    long bytes() {
        return offsets[offsets.length - 1];
    }

    /** Counts bytes written through it. */
    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    /** Flushes but does not close the wrapped stream when closed. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
