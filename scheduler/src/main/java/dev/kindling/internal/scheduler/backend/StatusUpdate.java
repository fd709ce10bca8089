package dev.kindling.internal.scheduler.backend;

import dev.kindling.scheduler.RemoteTaskException;
import dev.kindling.scheduler.TaskMetrics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * What an executor tells the driver about one task attempt: RUNNING when it starts, then exactly
 * one final update: FINISHED with the result, FAILED with the failure, or KILLED. Final updates
 * carry the attempt's accumulator updates (its own accumulator copies, by id) and metrics.
 *
 * <p>Each of result, accumulator updates and failure is held either as the object the task made
 * (local mode, {@code kindling.task.serialization=auto}: nothing else references it) or as bytes
 * ({@link #serialized()}, which {@link #encode()} applies first); the driver reads them with
 * {@link #result}, {@link #accumulatorUpdates} and {@link #failure}, which deserialize bytes through
 * the deserialization filter. A failure that does not serialize travels as a
 * {@link RemoteTaskException} keeping its class name, message and stack trace.
 *
 * <p>A result too large to travel in the update itself is left on the executor as a
 * {@link ResultBlock} ({@link #withResultBlock}); the update then carries the block's id and size, and
 * the driver's backend attaches a {@link ResultBlock.Fetcher} ({@link #withResultFetcher}) with which
 * {@link #result} fetches the bytes (and deletes the block) on the reading thread.
 *
 * <p>Thread safety: immutable.
 */
public final class StatusUpdate {

    /** A task attempt's state. */
    public enum State {
        /** The attempt started on an executor thread. */
        RUNNING,
        /** It returned a result (or wrote its shuffle output). */
        FINISHED,
        /** It threw. */
        FAILED,
        /** It was killed (before it started, when {@link #started()} is false). */
        KILLED;

        /** Whether this is the attempt's last update. */
        public boolean isFinal() {
            return this != RUNNING;
        }
    }

    private static final int MAGIC = 0x4B535455; // "KSTU"

    private final long taskId;
    private final State state;
    private final String thread;
    private final boolean started;
    private final String status;
    private final TaskMetrics metrics;
    private final Object result;
    private final byte[] resultBytes;
    private final Map<Long, Object> accumulators;
    private final byte[] accumulatorBytes;
    private final Throwable failure;
    private final byte[] failureBytes;
    private final ResultBlock resultBlock;
    private final ResultBlock.Fetcher fetcher;

    private StatusUpdate(long taskId, State state, String thread, boolean started, String status, TaskMetrics metrics,
                         Object result, byte[] resultBytes, Map<Long, Object> accumulators, byte[] accumulatorBytes,
                         Throwable failure, byte[] failureBytes) {
        this(taskId, state, thread, started, status, metrics, result, resultBytes, accumulators, accumulatorBytes, failure,
                failureBytes, null, null);
    }

    private StatusUpdate(long taskId, State state, String thread, boolean started, String status, TaskMetrics metrics,
                         Object result, byte[] resultBytes, Map<Long, Object> accumulators, byte[] accumulatorBytes,
                         Throwable failure, byte[] failureBytes, ResultBlock resultBlock, ResultBlock.Fetcher fetcher) {
        this.taskId = taskId;
        this.state = Objects.requireNonNull(state, "state");
        this.thread = thread == null ? "" : thread;
        this.started = started;
        this.status = status == null ? "" : status;
        this.metrics = metrics;
        this.result = result;
        this.resultBytes = resultBytes;
        this.accumulators = accumulators;
        this.accumulatorBytes = accumulatorBytes;
        this.failure = failure;
        this.failureBytes = failureBytes;
        this.resultBlock = resultBlock;
        this.fetcher = fetcher;
    }

    /** The attempt started running on {@code thread}. */
    public static StatusUpdate running(long taskId, String thread) {
        return new StatusUpdate(taskId, State.RUNNING, thread, true, "", null, null, null, null, null, null, null);
    }

    /** The attempt finished with {@code result} (null for a shuffle-map task). */
    public static StatusUpdate finished(long taskId, String thread, Object result, Map<Long, Object> accumulators,
                                        TaskMetrics metrics, String status) {
        return new StatusUpdate(taskId, State.FINISHED, thread, true, status, metrics, result, null,
                Map.copyOf(accumulators), null, null, null);
    }

    /** The attempt failed with {@code failure}; {@code killed} reports it as KILLED instead. */
    public static StatusUpdate failed(long taskId, String thread, Throwable failure, boolean killed,
                                      Map<Long, Object> accumulators, TaskMetrics metrics, String status) {
        return new StatusUpdate(taskId, killed ? State.KILLED : State.FAILED, thread, true, status, metrics, null, null,
                Map.copyOf(accumulators), null, Objects.requireNonNull(failure, "failure"), null);
    }

    /** The attempt was killed before it started: it ran nothing and reports nothing else. */
    public static StatusUpdate killedBeforeStart(long taskId, String reason) {
        return new StatusUpdate(taskId, State.KILLED, "", false, reason, new TaskMetrics(), null, null, Map.of(), null,
                null, null);
    }

    /** The attempt's id. */
    public long taskId() {
        return taskId;
    }

    /** The attempt's state. */
    public State state() {
        return state;
    }

    /** The executor thread that ran the attempt ("" when it never started). */
    public String thread() {
        return thread;
    }

    /** False only for an attempt killed before it started. */
    public boolean started() {
        return started;
    }

    /** The last status line the task set. */
    public String status() {
        return status;
    }

    /** The attempt's metrics (final updates). */
    public TaskMetrics metrics() {
        return metrics;
    }

    /** Whether the result, accumulator updates and failure are held as bytes. */
    public boolean isSerialized() {
        return result == null && accumulators == null && failure == null;
    }

    /**
     * The serialized result's size in bytes, whether it is held here or waits in a {@link ResultBlock};
     * -1 when the result is held as an object (or there is none).
     */
    public long resultSize() {
        if (resultBlock != null) {
            return resultBlock.size();
        }
        return resultBytes == null ? -1 : resultBytes.length;
    }

    /** The serialized result held in this update (null when it is an object, waits in a block, or there is none). */
    public byte[] serializedResult() {
        return resultBytes;
    }

    /** The block on the executor holding this update's result, or null when the result travels in the update. */
    public ResultBlock resultBlock() {
        return resultBlock;
    }

    /**
     * This FINISHED update with its serialized result left in {@code block} instead of carried: what an
     * executor sends when the result is too large for a frame, or larger than
     * {@code kindling.task.maxDirectResultSize}.
     *
     * @throws IllegalStateException if this update is not a serialized FINISHED one
     */
    public StatusUpdate withResultBlock(ResultBlock block) {
        java.util.Objects.requireNonNull(block, "block");
        if (state != State.FINISHED || !isSerialized()) {
            throw new IllegalStateException("Only a serialized FINISHED update leaves its result in a block (got " + this + ")");
        }
        return new StatusUpdate(taskId, state, thread, started, status, metrics, null, null, null, accumulatorBytes, null,
                failureBytes, block, null);
    }

    /** This update with the way to get its result block's bytes (the driver's backend attaches it on arrival). */
    public StatusUpdate withResultFetcher(ResultBlock.Fetcher resultFetcher) {
        return new StatusUpdate(taskId, state, thread, started, status, metrics, result, resultBytes, accumulators,
                accumulatorBytes, failure, failureBytes, resultBlock, java.util.Objects.requireNonNull(resultFetcher,
                "resultFetcher"));
    }

    /**
     * Gives up this update's result block without fetching it: the executor deletes it (the job
     * refused the result, or no longer wants it). Does nothing when the result is not in a block.
     */
    public void dropResult() {
        if (resultBlock != null && fetcher != null) {
            fetcher.release(resultBlock);
        }
    }

    /**
     * The result (FINISHED), deserialized from bytes if need be.
     *
     * @param loader tried first to resolve the result's classes (may be null)
     * @throws IllegalStateException if the bytes cannot be read back
     */
    public Object result(ClassLoader loader) {
        byte[] bytes = resultBytes;
        if (resultBlock != null) {
            bytes = fetchResultBlock();
        }
        if (bytes == null) {
            return result;
        }
        try {
            return TaskBytes.deserialize(bytes, Object.class, loader);
        } catch (IOException e) {
            throw new IllegalStateException("Could not deserialize the result of task " + taskId + " ("
                    + bytes.length + " bytes): " + e.getMessage(), e);
        }
    }

    /** Fetches the result block's bytes, then has the executor delete the block, fetched or not. */
    private byte[] fetchResultBlock() {
        if (fetcher == null) {
            throw new IllegalStateException("The result of task " + taskId + " waits in block " + resultBlock.blockId()
                    + " on its executor, but this update has no fetcher (the backend attaches one)");
        }
        try {
            byte[] bytes = fetcher.fetch(resultBlock);
            if (bytes.length != resultBlock.size()) {
                throw new IOException("got " + bytes.length + " bytes, expected " + resultBlock.size());
            }
            return bytes;
        } catch (IOException e) {
            throw new IllegalStateException("Could not fetch the result of task " + taskId + " (block "
                    + resultBlock.blockId() + ", " + resultBlock.size() + " bytes) from its executor: " + e.getMessage(), e);
        } finally {
            fetcher.release(resultBlock);
        }
    }

    /**
     * The attempt's accumulator updates by accumulator id, deserialized from bytes if need be.
     *
     * @throws IllegalStateException if the bytes cannot be read back
     */
    @SuppressWarnings("unchecked")
    public Map<Long, Object> accumulatorUpdates(ClassLoader loader) {
        if (accumulatorBytes == null) {
            return accumulators == null ? Map.of() : accumulators;
        }
        try {
            return TaskBytes.deserialize(accumulatorBytes, Map.class, loader);
        } catch (IOException e) {
            throw new IllegalStateException("Could not deserialize the accumulator updates of task " + taskId + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The failure (FAILED, and KILLED after the attempt started): the task's own exception, or a
     * {@link RemoteTaskException} when it did not serialize or cannot be read back here; null if none.
     */
    public Throwable failure(ClassLoader loader) {
        if (failureBytes == null) {
            return failure;
        }
        try {
            return TaskBytes.deserialize(failureBytes, Throwable.class, loader);
        } catch (IOException e) {
            return new RemoteTaskException("(unreadable)", "the task's exception could not be deserialized on the "
                    + "driver: " + e.getMessage(), new StackTraceElement[0], null);
        }
    }

    /**
     * This update with result, accumulator updates and failure as bytes, as an executor in another
     * process sends it. Serializing the result or the accumulator updates may fail (a result that is
     * not serializable): then the update becomes a FAILED one whose failure says so.
     */
    public StatusUpdate serialized() {
        if (isSerialized() || state == State.RUNNING || resultBlock != null) {
            return this;
        }
        byte[] accBytes;
        byte[] resBytes = null;
        try {
            accBytes = TaskBytes.serialize(accumulators == null ? Map.of() : new java.util.HashMap<>(accumulators), null);
            if (state == State.FINISHED) {
                resBytes = TaskBytes.serialize(result, null);
            }
        } catch (IOException | RuntimeException e) {
            IllegalStateException notSerializable = new IllegalStateException("The " + (state == State.FINISHED
                    ? "result or accumulator updates" : "accumulator updates") + " of task " + taskId
                    + " could not be serialized to reach the driver: " + e + ". Return (and accumulate) "
                    + "java.io.Serializable values", e);
            return new StatusUpdate(taskId, State.FAILED, thread, true, status, metrics, null, null, null,
                    serializeEmpty(), null, serializeFailure(notSerializable));
        }
        return new StatusUpdate(taskId, state, thread, started, status, metrics, null, resBytes, null, accBytes, null,
                failure == null ? null : serializeFailure(failure));
    }

    private static byte[] serializeEmpty() {
        try {
            return TaskBytes.serialize(new java.util.HashMap<>(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] serializeFailure(Throwable t) {
        try {
            return TaskBytes.serialize(t, null);
        } catch (IOException | RuntimeException e) {
            try {
                return TaskBytes.serialize(RemoteTaskException.of(t), null);
            } catch (IOException again) {
                throw new UncheckedIOException("Cannot serialize the stand-in of a task's exception", again);
            }
        }
    }

    /** The update as bytes (its {@link #serialized()} form). */
    public byte[] encode() {
        StatusUpdate s = serialized();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeLong(s.taskId);
            out.writeByte(s.state.ordinal());
            out.writeBoolean(s.started);
            writeBytes(out, s.thread.getBytes(StandardCharsets.UTF_8));
            writeBytes(out, s.status.getBytes(StandardCharsets.UTF_8));
            writeBytes(out, s.metrics == null ? null : TaskBytes.serialize(s.metrics, null));
            writeBytes(out, s.resultBytes);
            writeBytes(out, s.accumulatorBytes);
            writeBytes(out, s.failureBytes);
            out.writeBoolean(s.resultBlock != null);
            if (s.resultBlock != null) {
                LengthPrefixed.writeString(out, s.resultBlock.blockId());
                out.writeLong(s.resultBlock.size());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode the status update of task " + taskId + ": " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    /** Reads an update written by {@link #encode()}; lengths are checked against the bytes left. */
    public static StatusUpdate decode(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        try {
            if (in.readInt() != MAGIC) {
                throw new IOException("Not a status update");
            }
            long taskId = in.readLong();
            int state = in.readUnsignedByte();
            if (state >= State.values().length) {
                throw new IOException("Unknown task state " + state + " in a status update");
            }
            boolean started = in.readBoolean();
            String thread = new String(readBytes(in), StandardCharsets.UTF_8);
            String status = new String(readBytes(in), StandardCharsets.UTF_8);
            byte[] metricBytes = readBytes(in);
            TaskMetrics metrics = metricBytes == null ? null : TaskBytes.deserialize(metricBytes, TaskMetrics.class, null);
            byte[] result = readBytes(in);
            byte[] accumulators = readBytes(in);
            byte[] failure = readBytes(in);
            ResultBlock block = null;
            if (in.readBoolean()) {
                String blockId = LengthPrefixed.readString(in, "a status update");
                long size = in.readLong();
                try {
                    block = new ResultBlock(blockId, size);
                } catch (IllegalArgumentException e) {
                    throw new IOException("A status update names a bad result block: " + e.getMessage(), e);
                }
                if (state != State.FINISHED.ordinal() || result != null) {
                    throw new IOException("A status update of state " + State.values()[state] + " names result block "
                            + blockId + (result != null ? " and also carries a result" : ""));
                }
            }
            if (in.available() != 0) {
                throw new IOException(in.available() + " stray bytes after a status update");
            }
            return new StatusUpdate(taskId, State.values()[state], thread, started, status, metrics, null, result, null,
                    accumulators, null, failure, block, null);
        } catch (java.io.EOFException e) {
            throw new IOException("A status update of " + bytes.length + " bytes is truncated", e);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        if (b == null) {
            out.writeInt(-1);
        } else {
            LengthPrefixed.writeBytes(out, b);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        return n == -1 ? null : LengthPrefixed.readBytes(in, n, "a status update");
    }

    @Override
    public String toString() {
        return "StatusUpdate[task " + taskId + ", " + state + (started ? "" : ", never started")
                + (resultBlock == null ? "" : ", result in " + resultBlock.blockId() + " (" + resultBlock.size() + " bytes)")
                + "]";
    }
}
