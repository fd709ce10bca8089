package dev.kindling.internal.cluster;

import dev.kindling.internal.scheduler.backend.LengthPrefixed;
import dev.kindling.internal.shuffle.MapStatus;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The messages between a driver and its executor processes, each written with {@link DataOutputStream}
 * (never Java serialization) as one tag byte and its fields; strings and byte arrays are a 4-byte length
 * and their bytes. Task, status and metrics payloads are opaque bytes here: the scheduler's task
 * boundary defines them.
 *
 * <pre>
 *   executor -> driver (requests to the driver's server)     driver -> executor (one-way, to the executor's server)
 *     RegisterExecutor  -> Registered                          LaunchTask(task bytes)
 *     Heartbeat         -> empty (error: unknown executor)     KillTask(task id, interrupt, reason)
 *     FetchClass        -> ClassBytes (found or not)           StopExecutor
 *     FetchBroadcast    -> BroadcastBytes                      driver -> executor (requests)
 *     FetchMapStatuses  -> MapStatuses                           RemoveRdd(rdd id) -> RddRemoved
 *     UpdateBlocks      -> empty                                 RemoveBlock(block id) -> empty
 *                                                                RemoveBroadcast(broadcast id) -> empty
 *                                                                Ping -> empty
 *   executor -> driver (one-way): StatusUpdate(executor id, status bytes)
 * </pre>
 * Bytes larger than a frame never travel in a message: large task results and broadcast values are
 * blocks, fetched in chunks over the same connections (executors fetch {@code broadcast_<id>} from the
 * driver's server; the driver fetches {@code taskresult_<task id>} from the executor that ran the task,
 * then sends it {@link RemoveBlock}).
 * Every message arrives only over a connection that authenticated with the application's secret, and
 * {@link #decode} ({@link ClusterMessageDecoder}) checks every length against the bytes that are there
 * before allocating.
 */
public sealed interface ClusterMessage {

    /** The highest tag in use. */
    int MAX_TAG = 25;

    /** The tag byte that starts this message's encoding. */
    int tag();

    /** Writes the fields after the tag. */
    void writeFields(DataOutputStream out) throws IOException;

    /** The message as bytes: its tag, then its fields. */
    default byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(tag());
            writeFields(out);
        } catch (IOException e) {
            throw new UncheckedIOException("Writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /**
     * An executor announces itself to the driver once its own server listens.
     *
     * @param executorId the id the driver gave it
     * @param host       the host its server listens on
     * @param port       its server's port (task messages and block fetches)
     * @param cores      its task slots
     * @param pid        its process id
     */
    record RegisterExecutor(String executorId, String host, int port, int cores, long pid) implements ClusterMessage {
        @Override
        public int tag() {
            return 1;
        }

        @Override
        public void writeFields(DataOutputStream out) throws IOException {
            writeString(out, executorId);
            writeString(out, host);
            out.writeInt(port);
            out.writeInt(cores);
            out.writeLong(pid);
        }
    }

    /**
     * The driver's answer to {@link RegisterExecutor}: the application's configuration the executor needs.
     *
     * @param conf configuration keys and values
     */
    record Registered(Map<String, String> conf) implements ClusterMessage {
        /** Copies the map. */
        public Registered {
            conf = Map.copyOf(conf);
        }

        @Override
        public int tag() {
            return 2;
        }

        @Override
        public void writeFields(DataOutputStream out) throws IOException {
            out.writeInt(conf.size());
            for (Map.Entry<String, String> e : new TreeMap<>(conf).entrySet()) { // sorted: the same map, the same bytes
                writeString(out, e.getKey());
                writeString(out, e.getValue());
            }
        }
    }

    /**
     * An executor is alive; sent every {@code kindling.executor.heartbeatIntervalMs}.
     *
     * @param executorId the sender
     * @param metrics    opaque metrics of its running tasks (may be empty)
     */
    record Heartbeat(String executorId, byte[] metrics) implements ClusterMessage {
        @Override
        public int tag() {
            return 3;
        }

        @Override
        public void writeFields(DataOutputStream out) throws IOException {
            writeString(out, executorId);
            writeBytes(out, metrics);
        }
    }

    /**
     * Run a task: the encoded task description.
     *
     * @param task the task description's bytes
     */
    record LaunchTask(byte[] task) implements ClusterMessage {
        @Override
        public int tag() {
            return 4;
        }

        @Override
        public void writeFields(DataOutputStream out) throws IOException {
            writeBytes(out, task);
        }
    }

    /**
     * Stop a running task.
     *
     * @param taskId    the task
     * @param interrupt whether to interrupt its thread
     * @param reason    why, for its status update and logs
     */
    record KillTask(long taskId, boolean interrupt, String reason) implements ClusterMessage {
        @Override
        public int tag() {
            return 5;
        }

        @Override
        public void writeFields(DataOutputStream out) throws IOException {
            out.writeLong(taskId);
            out.writeBoolean(interrupt);
            writeString(out, reason);
        }
    }

    /**
     * A task's state changed: the encoded status update (result, failure, kill).
     *
     * @param executorId the executor the task ran on
     * @param update     the status update's bytes
     */
    record StatusUpdate(String executorId, byte[] update) implements ClusterMessage {
        @Override
        public int tag() {
            return 6;
        }

        @Override
        public void writeFields(DataOutputStream out) throws IOException {
            writeString(out, executorId);
            writeBytes(out, update);
        }
    }

    /** The driver asks an executor to stop its tasks and exit. */
    record StopExecutor() implements ClusterMessage {
        @Override
        public int tag() {
            return 7;
        }

        @Override
        public void writeFields(DataOutputStream out) {
        }
    }

    /**
     * An executor asks for the bytes of a class it cannot load itself.
     *
     * @param name the class's binary name ({@code a.b.C$D})
     */
    record FetchClass(String name) implements ClusterMessage {
        @Override
        public int tag() {
            return 8;
        }

        @Override
        public void writeFields(DataOutputStream out) throws IOException {
            writeString(out, name);
        }
    }

    /**
     * The driver's answer to {@link FetchClass}.
     *
     * @param bytes the class file, or {@code null} when the driver has no such class
     */
    record ClassBytes(byte[] bytes) implements ClusterMessage {
        @Override
        public int tag() {
            return 9;
        }

        @Override
        public void writeFields(DataOutputStream out) throws IOException {
            out.writeBoolean(bytes != null);
            if (bytes != null) {
                writeBytes(out, bytes);
            }
        }
    }

    /**
     * An executor asks for a broadcast variable's bytes by id.
     *
     * @param broadcastId the broadcast
     */
    record FetchBroadcast(long broadcastId) implements ClusterMessage {
        @Override
        public int tag() {
            return 10;
        }

        @Override
        public void writeFields(DataOutputStream out) throws IOException {
            out.writeLong(broadcastId);
        }
    }

    /**
     * The driver's answer to {@link FetchBroadcast}.
     *
     * @param bytes the broadcast's serialized value
     */
    record BroadcastBytes(byte[] bytes) implements ClusterMessage {
        @Override
        public int tag() {
            return 11;
        }

        @Override
        public void writeFields(DataOutputStream out) throws IOException {
            writeBytes(out, bytes);
        }
    }

    /**
     * A save task asks the driver's output commit coordinator whether its attempt may commit a
     * partition's output (the first attempt to ask wins).
     *
     * @param stageId       the stage writing the output
     * @param stageAttempt  the stage attempt
     * @param partition     the partition
     * @param attemptNumber the task attempt asking
     */
    record CanCommit(int stageId, int stageAttempt, int partition, int attemptNumber) implements ClusterMessage {
        @Override
        public int tag() {
            return 14;
        }

        @Override
        public void writeFields(DataOutputStream out) throws IOException {
            out.writeInt(stageId);
            out.writeInt(stageAttempt);
            out.writeInt(partition);
            out.writeInt(attemptNumber);
        }
    }

    /**
     * A save task registers as a writer of the save job {@code jobTag} before it writes anything.
     *
     * @param jobTag the save job
     */
    record EnterOutput(String jobTag) implements ClusterMessage {
        @Override
        public int tag() {
            return 15;
        }

        @Override
        public void writeFields(DataOutputStream out) throws IOException {
            writeString(out, jobTag);
        }
    }

    /**
     * A writer of the save job {@code jobTag} admitted by {@link EnterOutput} has ended.
     *
     * @param jobTag the save job
     */
    record ExitOutput(String jobTag) implements ClusterMessage {
        @Override
        public int tag() {
            return 16;
        }

        @Override
        public void writeFields(DataOutputStream out) throws IOException {
            writeString(out, jobTag);
        }
    }

    /**
     * The driver's answer to {@link CanCommit} and {@link EnterOutput}.
     *
     * @param allowed whether the attempt may commit, or the writer may write
     */
    record OutputAnswer(boolean allowed) implements ClusterMessage {
        @Override
        public int tag() {
            return 17;
        }

        @Override
        public void writeFields(DataOutputStream out) throws IOException {
            out.writeBoolean(allowed);
        }
    }

    /**
     * The driver asks an executor to delete one of its blocks (a large task result the driver fetched,
     * or will never fetch); answered with an empty body once the block is gone.
     *
     * @param blockId the block
     */
    record RemoveBlock(String blockId) implements ClusterMessage {
        @Override
        public int tag() {
            return 18;
        }

        @Override
        public void writeFields(DataOutputStream out) throws IOException {
            writeString(out, blockId);
        }
    }

    /**
     * The driver asks an executor to drop its copy of a broadcast variable (unpersisted, destroyed, or
     * its driver handle collected); answered with an empty body once the copy is dropped, so the next
     * task that uses it fetches it again (and fails if it was destroyed).
     *
     * @param broadcastId the broadcast
     */
    record RemoveBroadcast(long broadcastId) implements ClusterMessage {
        @Override
        public int tag() {
            return 19;
        }

        @Override
        public void writeFields(DataOutputStream out) throws IOException {
            out.writeLong(broadcastId);
        }
    }

    /**
     * An executor's reducer asks the driver's map output tracker where a shuffle's map outputs live.
     *
     * @param shuffleId the shuffle
     * @param numMaps   its number of map partitions
     */
    record FetchMapStatuses(int shuffleId, int numMaps) implements ClusterMessage {
        @Override
        public int tag() {
            return 12;
        }

        @Override
        public void writeFields(DataOutputStream out) throws IOException {
            out.writeInt(shuffleId);
            out.writeInt(numMaps);
        }
    }

    /**
     * The driver's answer to {@link FetchMapStatuses}: one entry per map partition, null where no
     * output is registered.
     *
     * @param statuses the statuses, by map partition
     */
    record MapStatuses(MapStatus[] statuses) implements ClusterMessage {
        @Override
        public int tag() {
            return 13;
        }

        @Override
        public void writeFields(DataOutputStream out) throws IOException {
            out.writeInt(statuses.length);
            for (MapStatus s : statuses) {
                out.writeBoolean(s != null);
                if (s != null) {
                    writeString(out, s.location().executorId());
                    writeString(out, s.location().host());
                    out.writeInt(s.location().port());
                    out.writeInt(s.sizes().length);
                    for (long size : s.sizes()) {
                        out.writeLong(size);
                    }
                }
            }
        }
    }

    /**
     * An executor's cached RDD partitions changed: it stored {@code stored} and dropped {@code removed}
     * (evicted, removed, lost) since its last report. A request, answered empty, sent before the status
     * update of the task that saw the change, so the driver knows where a block is before that task ends.
     *
     * @param executorId the sender
     * @param stored     blocks it holds now, as pairs (rdd id, partition)
     * @param removed    blocks it no longer holds, as pairs (rdd id, partition)
     */
    record UpdateBlocks(String executorId, int[] stored, int[] removed) implements ClusterMessage {
        /** Checks both arrays hold pairs. */
        public UpdateBlocks {
            if (stored.length % 2 != 0 || removed.length % 2 != 0) {
                throw new IllegalArgumentException("Block lists are (rdd id, partition) pairs; got " + stored.length
                        + " and " + removed.length + " ints");
            }
        }

        @Override
        public int tag() {
            return 22;
        }

        @Override
        public void writeFields(DataOutputStream out) throws IOException {
            writeString(out, executorId);
            writeInts(out, stored);
            writeInts(out, removed);
        }
    }

    /**
     * Remove every cached partition of an RDD (unpersist); a request, answered with {@link RddRemoved}.
     *
     * @param rddId the RDD
     */
    record RemoveRdd(int rddId) implements ClusterMessage {
        @Override
        public int tag() {
            return 23;
        }

        @Override
        public void writeFields(DataOutputStream out) throws IOException {
            out.writeInt(rddId);
        }
    }

    /**
     * An executor's answer to {@link RemoveRdd}.
     *
     * @param blocks how many blocks it removed
     */
    record RddRemoved(int blocks) implements ClusterMessage {
        @Override
        public int tag() {
            return 24;
        }

        @Override
        public void writeFields(DataOutputStream out) throws IOException {
            out.writeInt(blocks);
        }
    }

    /**
     * The driver asks an executor whether it still answers (a reduce task could not fetch from it);
     * answered with an empty body.
     */
    record Ping() implements ClusterMessage {
        @Override
        public int tag() {
            return 25;
        }

        @Override
        public void writeFields(DataOutputStream out) {
        }
    }

    /**
     * Reads a message written by {@link #encode()}. An unknown tag, a length past the end, or bytes left
     * over are an {@link IOException} that names the tag and what was wrong (a peer of another version,
     * or a bug). See {@link ClusterMessageDecoder}.
     */
    static ClusterMessage decode(byte[] bytes) throws IOException {
        return ClusterMessageDecoder.decode(bytes);
    }

    /** {@link #decode} and check the message is a {@code type}; another type is an {@link IOException} naming both. */
    static <T extends ClusterMessage> T decode(byte[] bytes, Class<T> type) throws IOException {
        ClusterMessage m = decode(bytes);
        if (!type.isInstance(m)) {
            throw new IOException("Expected a " + type.getSimpleName() + " message but got a " + m.getClass().getSimpleName());
        }
        return type.cast(m);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        LengthPrefixed.writeString(out, s);
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        LengthPrefixed.writeBytes(out, b);
    }

    private static void writeInts(DataOutputStream out, int[] values) throws IOException {
        out.writeInt(values.length);
        for (int v : values) {
            out.writeInt(v);
        }
    }
}
