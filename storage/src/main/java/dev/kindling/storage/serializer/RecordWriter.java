package dev.kindling.storage.serializer;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Output;
import java.io.OutputStream;

/**
 * Writes a stream of objects to an output stream with Kryo, one after another. Used for spill
 * files, disk blocks, checkpoints and object files. Confined to one thread; close it to flush and
 * return its Kryo to the pool.
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
            throw KryoSerializer.failure("serialize", value, e);
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
        output.flush();
    }

    /** Flushes and closes the underlying stream; returns the Kryo instance to the pool. Idempotent. */
    @Override
    public void close() {
        if (kryo == null) {
            return;
        }
        try {
            output.close();
        } finally {
            kryo.reset();
            owner.release(kryo);
            kryo = null;
        }
    }
}
