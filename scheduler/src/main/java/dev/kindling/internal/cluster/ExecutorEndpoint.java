package dev.kindling.internal.cluster;

import dev.kindling.internal.network.BlockData;
import dev.kindling.internal.network.BlockSource;
import dev.kindling.internal.network.InboundMessage;
import dev.kindling.internal.network.RpcHandler;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The executor server's handler: one-way {@link ClusterMessage.LaunchTask}, {@link ClusterMessage.KillTask}
 * and {@link ClusterMessage.StopExecutor} from the driver, handed to the {@link TaskSink} once it is
 * attached (a launch that comes before waits for it), block fetches from the sink's block source, and
 * four requests from the driver: {@link ClusterMessage.RemoveRdd} (unpersist, answered with
 * {@link ClusterMessage.RddRemoved} once the blocks are gone), {@link ClusterMessage.RemoveBlock} and
 * {@link ClusterMessage.RemoveBroadcast} (answered with an empty body once done), and
 * {@link ClusterMessage.Ping} (answered at once with an empty body: the driver checks this executor
 * still answers after a reduce task could not fetch from it).
 * Once the sink is attached, task messages are taken on the network event loop that read them
 * ({@link TaskSink#launch} decodes and queues, it does not block): one thread hand-off less per task.
 */
final class ExecutorEndpoint implements RpcHandler {

    private final CompletableFuture<TaskSink> sink = new CompletableFuture<>();
    private volatile BlockSource blocks = BlockSource.NONE;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final long waitMs;

    /** {@code waitMs}: how long a message waits for the sink to be attached before it fails. */
    ExecutorEndpoint(long waitMs) {
        this.waitMs = waitMs;
    }

    /** Makes {@code s} the receiver of task messages. */
    void attach(TaskSink s) {
        blocks = s.blocks();
        sink.complete(s);
    }

    /** Waits up to {@code ms} for a StopExecutor; true when it came. */
    boolean awaitStop(long ms) throws InterruptedException {
        return stop.await(ms, TimeUnit.MILLISECONDS);
    }

    /**
     * The sink's block, for the server's block fetches. A fetch that comes before the sink is attached
     * (another executor or the driver may ask as soon as this executor registered) waits for it, as task
     * messages do.
     */
    BlockData openBlock(String blockId) throws IOException {
        try {
            sink();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while block " + blockId + " waited for this executor's task sink", e);
        }
        return blocks.open(blockId);
    }

    @Override
    public byte[] receive(InboundMessage request) throws Exception {
        ClusterMessage m = ClusterMessage.decode(request.body());
        if (m instanceof ClusterMessage.Ping) {
            return new byte[0];
        } else if (m instanceof ClusterMessage.RemoveRdd r) {
            return new ClusterMessage.RddRemoved(sink().removeRdd(r.rddId())).encode();
        } else if (m instanceof ClusterMessage.RemoveBlock r) {
            sink().removeBlock(r.blockId());
        } else if (m instanceof ClusterMessage.RemoveBroadcast r) {
            sink().removeBroadcast(r.broadcastId());
        } else {
            throw new UnsupportedOperationException("An executor answers no " + m.getClass().getSimpleName()
                    + " requests (from " + request.remoteAddress() + "); it answers RemoveRdd, RemoveBlock,"
                    + " RemoveBroadcast and Ping, and takes one-way task messages");
        }
        return new byte[0];
    }

    @Override
    public void receiveOneWay(InboundMessage message) throws Exception {
        ClusterMessage m = ClusterMessage.decode(message.body());
        if (m instanceof ClusterMessage.StopExecutor) {
            stop.countDown();
        } else if (m instanceof ClusterMessage.LaunchTask launch) {
            sink().launch(launch.task());
        } else if (m instanceof ClusterMessage.KillTask kill) {
            sink().kill(kill.taskId(), kill.interrupt(), kill.reason());
        } else {
            throw new IOException("An executor does not take " + m.getClass().getSimpleName() + " messages (from "
                    + message.remoteAddress() + ")");
        }
    }

    @Override
    public boolean receiveOneWayOnEventLoop(InboundMessage message) throws Exception {
        if (!sink.isDone()) {
            return false; // a handler thread waits for the sink
        }
        ClusterMessage m = ClusterMessage.decode(message.body());
        if (m instanceof ClusterMessage.LaunchTask launch) {
            sink.join().launch(launch.task());
            return true;
        } else if (m instanceof ClusterMessage.KillTask kill) {
            sink.join().kill(kill.taskId(), kill.interrupt(), kill.reason());
            return true;
        }
        return false;
    }

    private TaskSink sink() throws IOException, InterruptedException {
        try {
            return sink.get(waitMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("A task message came but this executor's task sink is not ready after " + waitMs + " ms", e);
        }
    }
}
