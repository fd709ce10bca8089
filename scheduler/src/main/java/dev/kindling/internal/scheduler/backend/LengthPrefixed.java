package dev.kindling.internal.scheduler.backend;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Length-prefixed fields of the scheduler's wire formats (task descriptions, status updates, cluster
 * messages): a 4-byte length, then the bytes; strings as UTF-8. Reading checks a length against the
 * bytes left before allocating, so a corrupt or hostile length is an {@link IOException}, never an
 * allocation of its choosing.
 *
 * <p><b>Not a part of the public API</b>: this class can change or disappear without notice.
 */
public final class LengthPrefixed {

    private LengthPrefixed() {
    }

    /** Writes {@code b}'s length, then {@code b}. */
    public static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    /** Writes {@code s} as UTF-8 bytes with their length. */
    public static void writeString(DataOutputStream out, String s) throws IOException {
        writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads bytes written by {@link #writeBytes}; {@code where} names the message in the error when the
     * length is negative or more than the bytes left in {@code in}.
     */
    public static byte[] readBytes(DataInputStream in, String where) throws IOException {
        return readBytes(in, in.readInt(), where);
    }

    /** Reads {@code n} bytes, the length having been read already; checked as {@link #readBytes(DataInputStream, String)} does. */
    public static byte[] readBytes(DataInputStream in, int n, String where) throws IOException {
        if (n < 0 || n > in.available()) {
            throw new IOException("A field claims " + n + " bytes but " + in.available() + " are left in " + where);
        }
        return in.readNBytes(n);
    }

    /** Reads a string written by {@link #writeString}. */
    public static String readString(DataInputStream in, String where) throws IOException {
        return new String(readBytes(in, where), StandardCharsets.UTF_8);
    }
}
