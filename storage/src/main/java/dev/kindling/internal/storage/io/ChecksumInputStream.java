package dev.kindling.internal.storage.io;

import dev.kindling.storage.CorruptFileException;
import static dev.kindling.internal.storage.io.ChecksumOutputStream.FRAME_BYTES;
import static dev.kindling.internal.storage.io.ChecksumOutputStream.HEADER_BYTES;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Reads what a {@link ChecksumOutputStream} wrote, verifying each frame's CRC32C before returning
 * any of its bytes. A frame whose checksum or length does not match, or a file that ends early,
 * throws {@link CorruptFileException} naming the file, its kind and the frame's byte offset.
 *
 * <p>It reads either to the end of the stream or exactly {@code length} framed bytes (one bucket
 * of a shuffle file, which is followed by other buckets); then it reports end of stream.
 * Confined to one thread; closing it closes the wrapped stream.
 */
public final class ChecksumInputStream extends InputStream {

    /** Pass as {@code length} to read frames until the wrapped stream ends. */
    public static final long TO_END = -1;

    private final InputStream in;
    private final String kind;
    private final Path file;
    private final long start;
    private final long length;
    private final byte[] header = new byte[HEADER_BYTES];
    private final byte[] buf = new byte[FRAME_BYTES];
    private final CRC32C crc = new CRC32C();
    private long consumed;
    private int pos;
    private int size;

    /**
     * Reads frames from {@code in}, which is positioned at byte {@code start} of {@code file} (a file
     * of {@code kind}, for messages), up to {@code length} framed bytes or {@link #TO_END}.
     */
    public ChecksumInputStream(InputStream in, String kind, Path file, long start, long length) {
        this.in = in;
        this.kind = kind;
        this.file = file;
        this.start = start;
        this.length = length;
    }

    /**
     * Reads the first {@code length} bytes of {@code file} (or all, for {@link #TO_END}), checking every
     * frame; throws {@link CorruptFileException} if one fails or the file is shorter.
     */
    public static void verify(Path file, String kind, long length) throws IOException {
        try (ChecksumInputStream in = new ChecksumInputStream(Files.newInputStream(file), kind, file, 0, length)) {
            while (in.nextFrame()) {
                in.pos = in.size;
            }
        }
    }

    @Override
    public int read() throws IOException {
        if (pos == size && !nextFrame()) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos == size && !nextFrame()) {
            return -1;
        }
        int k = Math.min(len, size - pos);
        System.arraycopy(buf, pos, b, off, k);
        pos += k;
        return k;
    }

    @Override
    public int available() {
        return size - pos;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Bytes of the file read and checked so far: frame headers and payloads, as stored on disk. */
    public long bytesConsumed() {
        return consumed;
    }

    /** Reads and checks the next frame into the buffer; false at the end. */
    private boolean nextFrame() throws IOException {
        if (length != TO_END && consumed >= length) {
            return false;
        }
        long at = start + consumed;
        int got = in.readNBytes(header, 0, HEADER_BYTES);
        if (got == 0 && length == TO_END) {
            return false;
        }
        if (got < HEADER_BYTES) {
            throw corrupt(at, "the file ends inside a frame header (" + got + " of " + HEADER_BYTES + " bytes)"
                    + (length == TO_END ? "" : ", " + (length - consumed) + " more bytes expected"));
        }
        int n = ChecksumOutputStream.getInt(header, 0);
        if (n <= 0 || n > FRAME_BYTES || (length != TO_END && consumed + HEADER_BYTES + n > length)) {
            throw corrupt(at, "impossible frame length " + n + " (expected 1.." + FRAME_BYTES
                    + (length == TO_END ? "" : ", within the " + (length - consumed - HEADER_BYTES) + " bytes left")
                    + ")");
        }
        int read = in.readNBytes(buf, 0, n);
        if (read < n) {
            throw corrupt(at, "the file ends inside a frame (" + read + " of " + n + " bytes)");
        }
        crc.reset();
        crc.update(header, 0, 4);
        crc.update(buf, 0, n);
        int expected = ChecksumOutputStream.getInt(header, 4);
        int actual = (int) crc.getValue();
        if (actual != expected) {
            throw corrupt(at, "checksum mismatch in a frame of " + n + " bytes (CRC32C "
                    + Integer.toHexString(actual) + ", written " + Integer.toHexString(expected) + ")");
        }
        consumed += HEADER_BYTES + n;
        pos = 0;
        size = n;
        return true;
    }

    private CorruptFileException corrupt(long at, String detail) {
        return new CorruptFileException(kind, file, at, detail);
    }
}
