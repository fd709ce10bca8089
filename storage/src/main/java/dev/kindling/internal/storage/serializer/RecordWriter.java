package dev.kindling.internal.storage.serializer;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Output;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Writes a stream of objects to an output stream with Kryo, one after another. Used for spill
 * files, disk blocks, checkpoints and object files. Confined to one thread; close it to flush and
 * return its Kryo to the pool.
 *
 * <p>When the underlying stream fails (a full disk), the methods throw an
 * {@link UncheckedIOException} whose cause is the stream's {@link IOException}, not a
 * {@link SerializationException}: the record is fine, the place it goes is not.
 */
public final class RecordWriter implements AutoCloseable {

    private final KryoSerializer owner;
    private Kryo kryo;
    private final Output output;
    private long count;

    RecordWriter(KryoSerializer owner, Kryo kryo, OutputStream out) {
        this.owner = owner;
        this.kryo = kryo;
        this.output = new Output(out, 64 * 1024);
    }

    /** Appends one object (null allowed). */
    public void write(Object value) {
        try {
            kryo.writeClassAndObject(output, value);
        } catch (KryoException e) {
            throw streamFailure(e).orElseThrow(() -> KryoSerializer.failure("serialize", value, e));
        }
        count++;
        if ((count & 255) == 0) {
            // Forget the object references seen so far so a long stream does not pin every record.
            kryo.reset();
        }
    }

    /** Objects written so far. */
    public long count() {
        return count;
    }

    /** Bytes written so far (including buffered ones). */
    public long bytes() {
        return output.total();
    }

    /** Flushes buffered bytes to the underlying stream without closing it. */
    public void flush() {
        try {
            output.flush();
        } catch (KryoException e) {
            throw streamFailure(e).orElseThrow(() -> e);
        }
    }

    /** Flushes and closes the underlying stream; returns the Kryo instance to the pool. Idempotent. */
    @Override
    public void close() {
        if (kryo == null) {
            return;
        }
        try {
            output.close();
        } catch (KryoException e) {
            // Kryo's close() skips closing the stream when the final flush fails (a full disk): close
            // it here, or the file stays open and its space is not freed when it is deleted.
            closeQuietly(output.getOutputStream(), e);
            throw streamFailure(e).orElseThrow(() -> e);
        } finally {
            kryo.reset();
            owner.release(kryo);
            kryo = null;
        }
    }

    private static void closeQuietly(OutputStream out, Exception failure) {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** The stream's own failure when Kryo wrapped an {@link IOException} of the output stream. */
    private static Optional<UncheckedIOException> streamFailure(KryoException e) {
        int depth = 0;
        for (Throwable c = e.getCause(); c != null && depth++ < 16; c = c.getCause()) {
            if (c instanceof IOException io) {
                return Optional.of(new UncheckedIOException("Cannot write to the output stream: "
                        + io.getMessage(), io));
            }
        }
        return Optional.empty();
    }
}
