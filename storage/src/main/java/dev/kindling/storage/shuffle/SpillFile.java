package dev.kindling.storage.shuffle;

import dev.kindling.storage.serializer.KryoSerializer;
import dev.kindling.storage.serializer.RecordReader;
import dev.kindling.storage.serializer.RecordWriter;
import java.io.BufferedInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One file of shuffle map output on disk: the records of every reduce bucket, one segment per
 * bucket, Kryo-serialized as key, value, key, value... {@code offsets[r]} is where bucket r starts
 * and {@code counts[r]} how many records it holds.
 */
record SpillFile(Path path, long[] offsets, int[] counts) {

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
                try (RecordWriter w = serializer.newWriter(new KeepOpen(out))) {
                    Object[] b = buckets[r];
                    for (int i = 0; i < sizes[r]; i++) {
                        w.write(b[i]);
                    }
                }
            }
            offsets[n] = out.count;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write shuffle spill file " + path + ": " + e.getMessage()
                    + "; check free space in kindling.local.dir", e);
        }
        return new SpillFile(path, offsets, counts);
    }

    /** Opens a reader positioned at bucket {@code reduceId}. */
    RecordReader open(int reduceId, KryoSerializer serializer) {
        try {
            FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
            ch.position(offsets[reduceId]);
            InputStream in = new BufferedInputStream(Channels.newInputStream(ch), 64 * 1024);
            return serializer.newReader(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read shuffle file " + path + ": " + e.getMessage(), e);
        }
    }

    void delete() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // deleted with the scratch directory at close
        }
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
