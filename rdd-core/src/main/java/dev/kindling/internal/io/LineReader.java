package dev.kindling.internal.io;

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
    private byte[] lineArray;
    private int lineStart;

    LineReader(InputStream in) {
        this.in = in;
    }

    /**
     * Reads the next line into {@link #line()}.
     *
     * @return bytes consumed (line plus terminator), or 0 at end of input
     */
    int readLine() throws IOException {
        return readLine(true);
    }

    /**
     * Skips the next line without keeping it, as a split reader does with the partial line it does
     * not own: a reader positioned inside a 50 MB line with no newline must not copy it.
     *
     * @return bytes consumed (line plus terminator), or 0 at end of input
     */
    int skipLine() throws IOException {
        return readLine(false);
    }

    private int readLine(boolean keep) throws IOException {
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
            if (keep) {
                append(b, start, i - start);
            }
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

    /**
     * Reads the next line like {@link #readLine()}, but leaves it where it lies when it can: in the
     * read buffer if the whole line and its terminator are there (the usual case), else in
     * {@link #line()}. Either way the line is {@link #lineArray()}{@code [}{@link #lineStart()}{@code ,
     * lineStart() + }{@link #lineLength()}{@code )}, valid until the next read.
     *
     * @return bytes consumed (line plus terminator), or 0 at end of input
     */
    int readLineInPlace() throws IOException {
        int start = pos;
        for (int i = start, end = limit; i < end; i++) {
            byte b = buffer[i];
            if (b == '\n' || b == '\r') {
                int next = i + 1;
                if (b == '\r') {
                    if (next == end) {
                        break; // a \n may follow in the next fill
                    }
                    if (buffer[next] == '\n') {
                        next++;
                    }
                }
                pos = next;
                lineArray = buffer;
                lineStart = start;
                lineLength = i - start;
                return next - start;
            }
        }
        int consumed = readLine();
        lineArray = line;
        lineStart = 0;
        return consumed;
    }

    /** The array holding the line read by {@link #readLineInPlace()}. */
    byte[] lineArray() {
        return lineArray;
    }

    /** Where in {@link #lineArray()} that line starts. */
    int lineStart() {
        return lineStart;
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
