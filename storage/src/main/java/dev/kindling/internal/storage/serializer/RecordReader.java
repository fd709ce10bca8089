package dev.kindling.internal.storage.serializer;

import dev.kindling.storage.SerializationException;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import dev.kindling.storage.CorruptFileException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads back a stream of objects written by a {@link RecordWriter}. The caller knows how many
 * objects to read (or calls {@link #hasMore()}). Confined to one thread; close it to return its
 * Kryo to the pool.
 *
 * <p>A {@link CorruptFileException} raised by the stream (a checksummed file that fails its check)
 * is thrown as it is, and a failing stream as an {@link UncheckedIOException}, rather than as a
 * {@link SerializationException} about the classes.
 */
public final class RecordReader implements AutoCloseable {

    private final KryoSerializer owner;
    private Kryo kryo;
    private final Input input;
    private long count;

    RecordReader(KryoSerializer owner, Kryo kryo, InputStream in) {
        this.owner = owner;
        this.kryo = kryo;
        this.input = new Input(in, 64 * 1024);
    }

    /** Whether another object follows (false at the end of the stream). */
    public boolean hasMore() {
        return !input.end();
    }

    /** Reads the next object. */
    public Object read() {
        Object value;
        try {
            value = kryo.readClassAndObject(input);
        } catch (CorruptFileException e) {
            throw e;
        } catch (KryoException e) {
            int depth = 0;
            for (Throwable c = e.getCause(); c != null && depth++ < 16; c = c.getCause()) {
                if (c instanceof CorruptFileException corrupt) {
                    throw corrupt;
                }
                if (c instanceof IOException io) {
                    throw new UncheckedIOException("Cannot read object " + count + " of a Kryo stream: "
                            + io.getMessage(), io);
                }
            }
            throw new SerializationException("Cannot read object " + count + " of a Kryo stream: " + e.getMessage()
                    + "; the file may be truncated or written with other classes", e);
        }
        count++;
        if ((count & 255) == 0) {
            kryo.reset();
        }
        return value;
    }

    /** Closes the underlying stream and returns the Kryo to the pool. Idempotent. */
    @Override
    public void close() {
        if (kryo == null) {
            return;
        }
        try {
            input.close();
        } finally {
            kryo.reset();
            owner.release(kryo);
            kryo = null;
        }
    }
}
