package dev.kindling;

import dev.kindling.internal.scheduler.TaskContextAccess;
import dev.kindling.internal.ContextInternals;
import dev.kindling.internal.rdd.CheckpointFiles;
import dev.kindling.internal.storage.serializer.KryoSerializer;
import dev.kindling.internal.io.FsPath;
import java.util.Iterator;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The checkpoint state machine of one RDD: what {@link RDD#checkpoint()} or
 * {@link RDD#localCheckpoint()} asked for, and how far it got.
 *
 * <pre>
 *   none --request--> requested --write()--> started --job ok--> done (lineage truncated)
 *                         ^                     |
 *                         +------job failed-----+
 * </pre>
 *
 * A reliable checkpoint writes {@code part-NNNNN} files under {@code <checkpointDir>/rdd-<id>} and
 * later reads partitions back from them; a local one only materialises the (persisted) partitions
 * in the block manager. Thread safety: the state is one volatile record; the transition to
 * "started" is taken under this object's lock so that only one thread writes the checkpoint.
 */
final class CheckpointState implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** What checkpoint() or localCheckpoint() asked for. */
    enum Kind { RELIABLE, LOCAL }

    /** A snapshot of the state: null (none) or requested / in progress / done, with the files' directory. */
    record Checkpoint(Kind kind, boolean started, boolean done, String dir) implements java.io.Serializable {
    }

    private volatile Checkpoint checkpoint;

    /** Records a request for a checkpoint of {@code kind} unless one was already requested. */
    void request(Kind kind) {
        if (checkpoint == null) {
            checkpoint = new Checkpoint(kind, false, false, null);
        }
    }

    /** Whether the checkpoint was written and the lineage truncated. */
    boolean isDone() {
        Checkpoint cp = checkpoint;
        return cp != null && cp.done();
    }

    /** Whether a checkpoint was requested and not yet started. */
    boolean isPending() {
        Checkpoint cp = checkpoint;
        return cp != null && !cp.started();
    }

    /** The directory of the checkpoint files, once reliably checkpointed. */
    Optional<String> file() {
        Checkpoint cp = checkpoint;
        return cp != null && cp.done() && cp.dir() != null ? Optional.of(cp.dir()) : Optional.empty();
    }

    /**
     * Reads partition {@code partition} of a checkpointed RDD back from its files; fails for a
     * local checkpoint, whose lost partitions cannot be recomputed. Call only when {@link #isDone()};
     * {@code serializer} is the executor's (or the driver's, outside a task).
     */
    Iterator<?> read(RDD<?> rdd, int partition, KryoSerializer serializer) {
        Checkpoint cp = checkpoint;
        if (cp.kind() == Kind.RELIABLE) {
            return CheckpointFiles.read(FsPath.of(cp.dir(), "Checkpoint directory"), partition, serializer);
        }
        throw new IllegalStateException("Partition " + partition + " of locally checkpointed " + rdd.describe()
                + " was lost (evicted or its block file deleted) and its lineage was truncated, so it cannot be"
                + " recomputed; use checkpoint() with a checkpoint directory for fault-tolerant truncation");
    }

    /**
     * Writes the requested checkpoint of {@code rdd} with one internal job, if one was requested and
     * not started. Returns true when this call completed it (the caller then truncates the lineage);
     * on failure the request is re-armed and the exception propagates.
     */
    boolean write(RDD<?> rdd) {
        Checkpoint cp = checkpoint;
        if (cp == null || cp.started()) {
            return false;
        }
        synchronized (this) {
            if (checkpoint.started()) {
                return false;
            }
            checkpoint = new Checkpoint(cp.kind(), true, false, null);
        }
        try {
            KindlingContext context = rdd.context();
            int[] allPartitions = IntStream.range(0, rdd.numPartitions()).toArray();
            String dir = null;
            if (cp.kind() == Kind.RELIABLE) {
                // The local path or the URI (hdfs://...), a string that the task resolves where it runs.
                String targetDir = FsPath.of(context.getCheckpointDir().orElseThrow(), "Checkpoint directory")
                        .resolve("rdd-" + rdd.id()).toString();
                ContextInternals.of(context).runInternalJob(rdd, (ctx, it) -> CheckpointFiles.write(
                        FsPath.of(targetDir, "Checkpoint directory"), ctx.partitionId(), ctx.taskAttemptId(), it,
                        TaskContextAccess.get().env(ctx).serializer(), ctx::checkKilled), allPartitions);
                dir = targetDir;
            } else {
                ContextInternals.of(context).runInternalJob(rdd, (ctx, it) -> {
                    while (it.hasNext()) {
                        it.next();
                    }
                    return null;
                }, allPartitions);
            }
            checkpoint = new Checkpoint(cp.kind(), true, true, dir);
            return true;
        } catch (RuntimeException e) {
            checkpoint = new Checkpoint(cp.kind(), false, false, null);
            throw e;
        }
    }
}
