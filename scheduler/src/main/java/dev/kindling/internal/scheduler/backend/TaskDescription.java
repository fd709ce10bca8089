package dev.kindling.internal.scheduler.backend;

import dev.kindling.internal.scheduler.TaskClosure;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything an executor needs to run one task attempt, and nothing of the driver's: which task
 * (ids, stage attempt, partition, attempt number), the stage's {@link TaskBinary} (lineage and
 * function, shared by the stage attempt's tasks), the ids of the broadcasts the binary holds
 * (recorded by the scheduler while it serialized the binary; empty for an unserialized local binary)
 * and of its accumulators (not filled yet: accumulator updates come back by id in status updates),
 * the job's local properties and how functions are copied. {@link #encode()} turns it into bytes and
 * {@link #decode} back; the binary travels as its bytes.
 *
 * @param taskId         the attempt's id, unique within the application
 * @param jobId          the job that first submitted the stage
 * @param stageId        the stage
 * @param stageAttempt   the stage's attempt number
 * @param partition      the partition the task computes
 * @param attemptNumber  how many attempts of this task were launched before this one
 * @param binary         the stage attempt's task binary
 * @param broadcastIds   ids of the broadcast variables the binary holds
 * @param accumulatorIds ids of the accumulators the binary holds
 * @param properties     the job's local properties, captured at submission
 * @param closureMode    how the task copies the functions it runs ({@code kindling.closure.copyPerTask})
 */
public record TaskDescription(long taskId, int jobId, int stageId, int stageAttempt, int partition, int attemptNumber,
                              TaskBinary binary, long[] broadcastIds, long[] accumulatorIds,
                              Map<String, String> properties, TaskClosure.Mode closureMode) {

    private static final int MAGIC = 0x4B545344; // "KTSD"
    private static final int VERSION = 1;
    /** Most local properties a description may carry: a bound for decoding untrusted lengths. */
    private static final int MAX_PROPERTIES = 100_000;

    /** Checks the parts are present and copies the property map. */
    public TaskDescription {
        Objects.requireNonNull(binary, "binary");
        Objects.requireNonNull(broadcastIds, "broadcastIds");
        Objects.requireNonNull(accumulatorIds, "accumulatorIds");
        properties = Map.copyOf(Objects.requireNonNull(properties, "properties"));
        Objects.requireNonNull(closureMode, "closureMode");
    }

    /** A short name for logs and the task reaper, e.g. {@code "task 7 (stage 2.0, partition 3, attempt 0)"}. */
    public String name() {
        return "task " + taskId + " (stage " + stageId + "." + stageAttempt + ", partition " + partition + ", attempt "
                + attemptNumber + ")";
    }

    /**
     * The description as bytes: a header, the fields, the properties and the binary's bytes.
     *
     * @throws IllegalStateException if the binary was never serialized
     */
    public byte[] encode() {
        byte[] task = binary.bytes();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(task.length + 128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(taskId);
            out.writeInt(jobId);
            out.writeInt(stageId);
            out.writeInt(stageAttempt);
            out.writeInt(partition);
            out.writeInt(attemptNumber);
            out.writeByte(closureMode.ordinal());
            writeLongs(out, broadcastIds);
            writeLongs(out, accumulatorIds);
            out.writeInt(properties.size());
            for (Map.Entry<String, String> e : properties.entrySet()) {
                writeString(out, e.getKey());
                writeString(out, e.getValue());
            }
            out.writeInt(task.length);
            out.write(task);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode " + name() + ": " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a description written by {@link #encode()}. Lengths are checked against what is left in
     * {@code bytes}, so a corrupt or hostile message fails with an {@link IOException}, never an
     * allocation of its choosing. The binary stays as bytes until a task opens it.
     *
     * @param loader tried first when the binary's classes are resolved (may be null)
     */
    public static TaskDescription decode(byte[] bytes, ClassLoader loader) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        try {
            int magic = in.readInt();
            int version = in.readInt();
            if (magic != MAGIC || version != VERSION) {
                throw new IOException("Not a task description of version " + VERSION + " (magic 0x"
                        + Integer.toHexString(magic) + ", version " + version + ")");
            }
            long taskId = in.readLong();
            int jobId = in.readInt();
            int stageId = in.readInt();
            int stageAttempt = in.readInt();
            int partition = in.readInt();
            int attemptNumber = in.readInt();
            int mode = in.readUnsignedByte();
            TaskClosure.Mode[] modes = TaskClosure.Mode.values();
            if (mode >= modes.length) {
                throw new IOException("Unknown closure mode " + mode + " in a task description");
            }
            long[] broadcasts = readLongs(in);
            long[] accumulators = readLongs(in);
            int n = in.readInt();
            if (n < 0 || n > MAX_PROPERTIES || n > in.available() / 8) {
                throw new IOException("Bad local property count " + n + " in a task description");
            }
            Map<String, String> properties = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                properties.put(readString(in), readString(in));
            }
            byte[] task = readBytes(in);
            if (in.available() != 0) {
                throw new IOException(in.available() + " stray bytes after a task description");
            }
            return new TaskDescription(taskId, jobId, stageId, stageAttempt, partition, attemptNumber,
                    TaskBinary.fromBytes(task, loader), broadcasts, accumulators, properties, modes[mode]);
        } catch (java.io.EOFException e) {
            throw new IOException("A task description of " + bytes.length + " bytes is truncated", e);
        }
    }

    private static void writeLongs(DataOutputStream out, long[] values) throws IOException {
        out.writeInt(values.length);
        for (long v : values) {
            out.writeLong(v);
        }
    }

    private static long[] readLongs(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available() / 8) {
            throw new IOException("Bad id count " + n + " in a task description");
        }
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.readLong();
        }
        return values;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        LengthPrefixed.writeString(out, s);
    }

    private static String readString(DataInputStream in) throws IOException {
        return LengthPrefixed.readString(in, "a task description");
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        return LengthPrefixed.readBytes(in, "a task description");
    }

    @Override
    public String toString() {
        return name();
    }
}
