package dev.kindling.internal.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.zip.GZIPInputStream;

/**
 * Reads the lines that belong to one {@link FileSplit}, as bytes, with Hadoop's ownership rule: a
 * line belongs to the split in which its first byte lies. A reader whose split does not start at
 * byte 0 skips through its first line terminator (that line belongs to the previous split), and
 * it keeps reading lines while the position before the line is at or before the split's end, so
 * it reads one line past its end. Terminators {@code \n}, {@code \r\n} and {@code \r} are removed.
 * A {@code .gz} split is the whole file, decompressed. A UTF-8 byte order mark at the start of
 * the file is dropped from the first line (Hadoop's LineRecordReader does), only by the reader
 * that starts at byte 0.
 *
 * <p>Not thread safe: one reader per task.
 */
public final class SplitLineReader implements AutoCloseable {

    private final LineReader reader;
    private final long end;
    private final long first;
    private long pos;
    private boolean done;
    /** Whether the next line is the file's first, which may start with a byte order mark. */
    private boolean atFileStart;
    /** Where the current line starts in {@link #bytes()}. */
    private int offset;
    /** Length of the current line, without terminator or byte order mark. */
    private int length;

    private SplitLineReader(LineReader reader, long pos, long end) {
        this.reader = reader;
        this.pos = pos;
        this.first = pos;
        this.end = end;
        this.atFileStart = pos == 0;
    }

    /** Opens the split's file and positions the reader at the split's first owned line. */
    public static SplitLineReader open(FileSplit split) throws IOException {
        InputStream raw = Files.newInputStream(split.file());
        try {
            raw.skipNBytes(split.compressed() ? 0 : split.start());
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw new IOException("Cannot open input split " + split.path() + " [" + split.start() + ", +"
                    + split.length() + "): " + e.getMessage(), e);
        }
        return open(raw, split);
    }

    /**
     * Like {@link #open(FileSplit)}, over {@code raw}, the split's file already positioned at the
     * split's start (at byte 0 for a compressed split); closes {@code raw} if this fails. Used for
     * files on other file systems (Hadoop's, which seek).
     */
    public static SplitLineReader open(InputStream raw, FileSplit split) throws IOException {
        try {
            if (split.compressed()) {
                LineReader r = new LineReader(new GZIPInputStream(new BufferedInputStream(raw, 64 * 1024), 64 * 1024));
                return new SplitLineReader(r, 0, Long.MAX_VALUE);
            }
            long start = split.start();
            LineReader r = new LineReader(raw);
            long pos = start;
            if (start != 0) {
                pos += r.skipLine();
            }
            return new SplitLineReader(r, pos, start + split.length());
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw new IOException("Cannot open input split " + split.path() + " [" + split.start() + ", +"
                    + split.length() + "): " + e.getMessage(), e);
        }
    }

    /**
     * Advances to the next owned line; returns false when the split has no more lines. The line is
     * read in place: it usually stays in the read buffer ({@link #bytes()} is that buffer), so no
     * line is copied before its decoder reads it.
     */
    public boolean next() throws IOException {
        if (done || pos > end) {
            done = true;
            return false;
        }
        int n = reader.readLineInPlace();
        if (n == 0) {
            done = true;
            return false;
        }
        pos += n;
        offset = reader.lineStart();
        length = reader.lineLength();
        if (atFileStart) {
            atFileStart = false;
            byte[] b = reader.lineArray();
            if (length >= 3 && b[offset] == (byte) 0xEF && b[offset + 1] == (byte) 0xBB && b[offset + 2] == (byte) 0xBF) {
                if (n == 3) {
                    // The file is only a mark: no line at all, as Hadoop.
                    done = true;
                    return false;
                }
                offset += 3;
                length -= 3;
            }
        }
        return true;
    }

    /**
     * The array holding the current line, in {@code [offset(), offset() + length())}, valid until the
     * next call to {@link #next()}; read it, never modify it (it may be the reader's buffer).
     */
    public byte[] bytes() {
        return reader.lineArray();
    }

    /** Where the current line starts in {@link #bytes()}. */
    public int offset() {
        return offset;
    }

    /** Length of the current line in bytes, terminator (and a byte order mark) excluded. */
    public int length() {
        return length;
    }

    /**
     * Bytes of the lines read so far, terminators and a byte order mark included (decompressed
     * bytes for a gzip file): over all splits of a file read to the end, the file's size.
     */
    public long bytesRead() {
        return pos - first;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
