package dev.kindling.internal.cluster;

import dev.kindling.internal.network.BlockSource;

/**
 * What an executor process does with the tasks the driver sends: the scheduler's executor (which
 * decodes a task description, runs it and reports) plugs in here, so the process itself treats tasks
 * as opaque bytes. Made once per process by a {@link Factory} named on the driver, after the executor
 * registered.
 *
 * <p><b>Threads.</b> {@link #launch} and {@link #kill} are called on the executor server's handler
 * threads, possibly several at once, and must return quickly: a sink runs tasks on threads of its own
 * (at most {@link ExecutorContext#cores()} at a time) and reports each task's end through
 * {@link ExecutorContext#sendStatus}. {@link #heartbeatMetrics} is called on the heartbeat thread.
 */
public interface TaskSink extends AutoCloseable {

    /**
     * Starts the task encoded in {@code task} (a task description); returns without waiting for it. It
     * may be called on a network event loop, so it must not block (decode and queue, no more).
     */
    void launch(byte[] task);

    /**
     * Stops task {@code taskId} if it runs here ({@code interrupt}: also interrupt its thread); its
     * status update says it was killed for {@code reason}. A task that is not running is ignored. It
     * may be called on a network event loop, so it must not block.
     */
    void kill(long taskId, boolean interrupt, String reason);

    /** Metrics of the running tasks to send with the next heartbeat; default none. */
    default byte[] heartbeatMetrics() {
        return new byte[0];
    }

    /**
     * Removes every cached partition of RDD {@code rddId} from this executor (unpersist) and returns how
     * many there were; called on a server handler thread. Default: none cached.
     */
    default int removeRdd(int rddId) {
        return 0;
    }

    /**
     * The blocks this executor serves to other processes (shuffle outputs, cached blocks), asked once
     * when the sink is attached; default none.
     */
    default BlockSource blocks() {
        return BlockSource.NONE;
    }

    /**
     * Deletes block {@code blockId} of this executor (a large task result the driver fetched, or will
     * never fetch); a block that is not here is ignored. Default: nothing to delete.
     */
    default void removeBlock(String blockId) {
    }

    /**
     * Drops this executor's copy of broadcast {@code broadcastId}, so the next task that uses it fetches it
     * from the driver again (and fails if it was destroyed). Default: nothing cached.
     */
    default void removeBroadcast(long broadcastId) {
    }

    /** Stops running tasks and frees the sink's threads; called once when the executor stops. */
    @Override
    void close();

    /**
     * Makes the process's sink. An implementation is a public class with a public no-argument
     * constructor; the driver passes its name to the executors it starts.
     */
    interface Factory {
        /** The sink for the executor described by {@code context}. */
        TaskSink create(ExecutorContext context) throws Exception;
    }
}
