package dev.kindling.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads lines as bytes, recognising {@code \n}, {@code \r} and {@code \r\n} terminators (removed
 * from the line), and counts the bytes it consumes, including terminators, so that a reader can
 * tell where each line started. The behaviour of Hadoop's LineReader.
 */
final class LineReader implements AutoCloseable {

    private final InputStream in;
    private final byte[] buffer = new byte[64 * 1024];
    private int pos;
    private int limit;
    private byte[] line = new byte[256];
    private int lineLength;

    LineReader(InputStream in) {
        this.in = in;
    }

    /**
     * Reads the next line into {@link #line()}.
     *
     * @return bytes consumed (line plus terminator), or 0 at end of input
     */
    int readLine() throws IOException {
        lineLength = 0;
        int consumed = 0;
        while (true) {
            if (pos >= limit && !fill()) {
                return consumed;
            }
            // Scan the buffered bytes for a terminator, then copy the run in one go.
            byte[] b = buffer;
            int start = pos;
            int end = limit;
            int i = start;
            while (i < end && b[i] != '\n' && b[i] != '\r') {
                i++;
            }
            append(b, start, i - start);
            consumed += i - start;
            pos = i;
            if (i == end) {
                continue;
            }
            pos++;
            consumed++;
            if (b[i] == '\r') {
                if (pos >= limit && !fill()) {
                    return consumed;
                }
                if (buffer[pos] == '\n') {
                    pos++;
                    consumed++;
                }
            }
            return consumed;
        }
    }

    private void append(byte[] bytes, int from, int length) {
        if (lineLength + length > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + length));
        }
        System.arraycopy(bytes, from, line, lineLength, length);
        lineLength += length;
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            pos = 0;
            limit = 0;
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    byte[] line() {
        return line;
    }

    int lineLength() {
        return lineLength;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
