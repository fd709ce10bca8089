package dev.kindling.internal.io;

import java.io.ByteArrayInputStream;

/** Test input that hands out at most {@code chunk} bytes per read, as a pipe fed piece by piece does. */
final class ChunkedInputStream extends ByteArrayInputStream {

    private final int chunk;

    ChunkedInputStream(byte[] data, int chunk) {
        super(data);
        this.chunk = chunk;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, chunk));
    }
}
