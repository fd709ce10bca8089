package dev.kindling.internal.scheduler.backend;

import dev.kindling.internal.scheduler.TaskFunction;
import dev.kindling.scheduler.Lineage;
import dev.kindling.scheduler.ShuffleDependency;
import java.io.IOException;
import java.io.Serializable;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What the tasks of one stage attempt run: the stage's lineage with the action's function (result
 * stage) or with the shuffle dependency it writes (shuffle-map stage). Made once per stage attempt
 * on the driver and shared by all its task descriptions.
 *
 * <p>A binary holds the {@link Payload} object, its serialized form, or both. In local mode with
 * {@code kindling.task.serialization=auto} it is never serialized: the executor runs the payload
 * object itself (lineage and functions are immutable once a job runs; functions are still copied
 * per task by {@code TaskClosure}). Otherwise the driver serializes it once ({@link #serialize}) and
 * every task deserializes its own copy ({@link #open}), as on a remote executor.
 *
 * <p>Thread safety: immutable once serialized; {@link #open} may be called from any thread.
 */
public final class TaskBinary {

    /** What a task of the stage runs; serializable, it travels inside the binary. */
    public sealed interface Payload extends Serializable permits ResultTask, ShuffleMapTask {
        /** The stage's lineage node, computed by every task for its partition. */
        Lineage rdd();
    }

    /** A result task: applies the job's function to its partition and returns the value. */
    public record ResultTask(Lineage rdd, TaskFunction<?> function) implements Payload {
        private static final long serialVersionUID = 1L;

        /** Checks both parts are present. */
        public ResultTask {
            Objects.requireNonNull(rdd, "rdd");
            Objects.requireNonNull(function, "function");
        }
    }

    /** A shuffle-map task: writes its partition into the buckets of {@code dependency}. */
    public record ShuffleMapTask(Lineage rdd, ShuffleDependency dependency, int numMapTasks) implements Payload {
        private static final long serialVersionUID = 1L;

        /** Checks both parts are present. */
        public ShuffleMapTask {
            Objects.requireNonNull(rdd, "rdd");
            Objects.requireNonNull(dependency, "dependency");
        }
    }

    private final Payload payload;
    private final byte[] bytes;
    /** The loader of the job's classes when the binary was made in this JVM; null when read from bytes. */
    private final ClassLoader loader;

    private TaskBinary(Payload payload, byte[] bytes, ClassLoader loader) {
        this.payload = payload;
        this.bytes = bytes;
        this.loader = loader;
    }

    /** A binary holding the payload object only (local mode, {@code auto}). */
    public static TaskBinary of(Payload payload) {
        return new TaskBinary(Objects.requireNonNull(payload, "payload"), null, loaderOf(payload));
    }

    /**
     * A binary serialized now, on the driver: a payload that cannot be serialized fails here,
     * before any task runs. {@code visitor} sees every object written (see {@link TaskBytes#serialize}).
     *
     * @throws IllegalArgumentException if the payload cannot be serialized, naming the stage's node
     */
    public static TaskBinary serialize(Payload payload, Consumer<Object> visitor) {
        Objects.requireNonNull(payload, "payload");
        try {
            return new TaskBinary(null, TaskBytes.serialize(payload, visitor), loaderOf(payload));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Task not serializable: the tasks of " + describe(payload)
                    + " cannot be sent to an executor because serializing them failed: " + e + ". Make the "
                    + "functions and what they capture java.io.Serializable (or transient), or share large read-only "
                    + "data with kc.broadcast(value)", e);
        }
    }

    /** A binary read from bytes (an executor, or local mode decoding what it encoded). */
    public static TaskBinary fromBytes(byte[] bytes, ClassLoader loader) {
        return new TaskBinary(null, Objects.requireNonNull(bytes, "bytes"), loader);
    }

    /** Whether this binary exists as bytes. */
    public boolean isSerialized() {
        return bytes != null;
    }

    /**
     * The serialized form.
     *
     * @throws IllegalStateException if the binary was never serialized (local mode's {@code auto})
     */
    public byte[] bytes() {
        if (bytes == null) {
            throw new IllegalStateException("This task binary of " + describe(payload) + " was made for local "
                    + "execution without serialization (kindling.task.serialization=auto); make it with "
                    + "TaskBinary.serialize to send it to another process");
        }
        return bytes;
    }

    /** The loader of the job's classes, if the binary was made in this JVM; else null. */
    public ClassLoader classLoader() {
        return loader;
    }

    /**
     * The payload a task runs: the object itself when this binary was not serialized, else a fresh
     * copy deserialized for the calling task (through the deserialization filter). Call it with the
     * task's context current, so accumulators in the functions register with that task.
     *
     * @throws IllegalStateException if the bytes cannot be read back
     */
    public Payload open() {
        if (bytes == null) {
            return payload;
        }
        try {
            return TaskBytes.deserialize(bytes, Payload.class, loader);
        } catch (IOException e) {
            throw new IllegalStateException("Could not deserialize a task (" + bytes.length + " bytes): " + e.getMessage()
                    + ". Check the readObject/readResolve methods of the objects its functions capture, and that the "
                    + "executor has the job's classes", e);
        }
    }

    private static ClassLoader loaderOf(Payload payload) {
        Object user = payload instanceof ResultTask r ? r.function() : payload.rdd();
        return user.getClass().getClassLoader();
    }

    private static String describe(Payload payload) {
        if (payload == null) {
            return "a stage";
        }
        try {
            return payload.rdd().describe();
        } catch (RuntimeException e) {
            return payload.rdd().getClass().getName();
        }
    }

    @Override
    public String toString() {
        return "TaskBinary[" + (bytes == null ? "object" : bytes.length + " bytes") + "]";
    }
}
