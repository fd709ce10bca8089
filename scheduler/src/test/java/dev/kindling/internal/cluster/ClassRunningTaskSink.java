package dev.kindling.internal.cluster;

import dev.kindling.internal.network.BlockData;
import dev.kindling.internal.network.BlockSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The task sink of the cluster tests: a task ({@link TestTasks#task}) names a {@code UnaryOperator<byte[]>}
 * class, loaded through the executor's class loader (so a class only the driver has is fetched from
 * it), and applies it to the task's input on one of {@code cores} threads; or, named
 * {@link TestTasks#FETCH}, fetches a block from another process. The status says FINISHED with the
 * output, FAILED with the exception, or KILLED with the kill's reason (also for a kill that came before
 * the task started, or before its launch message). It serves one block, {@link TestTasks#executorBlock}.
 */
public final class ClassRunningTaskSink implements TaskSink {

    private final ExecutorContext context;
    private final ExecutorService threads;
    private final Map<Long, Thread> running = new ConcurrentHashMap<>();
    private final Map<Long, String> killed = new ConcurrentHashMap<>();

    private ClassRunningTaskSink(ExecutorContext context) {
        this.context = context;
        this.threads = Executors.newFixedThreadPool(context.cores());
    }

    /** Makes the sink; named on the driver by class name. */
    public static final class Factory implements TaskSink.Factory {
        /** For reflection. */
        public Factory() {
        }

        @Override
        public TaskSink create(ExecutorContext context) {
            return new ClassRunningTaskSink(context);
        }
    }

    @Override
    public void launch(byte[] task) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(task))) {
            long id = in.readLong();
            String className = in.readUTF();
            byte[] input = new byte[in.readInt()];
            in.readFully(input);
            threads.execute(() -> run(id, className, input));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a test task", e);
        }
    }

    private void run(long id, String className, byte[] input) {
        running.put(id, Thread.currentThread());
        byte[] status;
        try {
            if (killed.containsKey(id)) {
                throw new InterruptedException("killed before it started");
            }
            status = className.equals(TestTasks.FETCH) ? fetch(id, input) : runClass(id, className, input);
            if (killed.containsKey(id)) {
                throw new InterruptedException("killed while it ran");
            }
        } catch (Throwable t) {
            String reason = killed.get(id);
            status = reason != null ? TestTasks.status(id, "KILLED", bytes(reason), "")
                    : TestTasks.status(id, "FAILED", bytes(t.toString()), "");
        }
        running.remove(id);
        Thread.interrupted(); // a kill's interrupt must not reach the next task on this thread
        try {
            context.sendStatus(status);
        } catch (IOException e) {
            // the driver is gone; the executor exits
        }
    }

    private byte[] runClass(long id, String className, byte[] input) throws Exception {
        Class<?> c = Class.forName(className, true, context.classLoader());
        @SuppressWarnings("unchecked")
        UnaryOperator<byte[]> op = (UnaryOperator<byte[]>) c.getConstructor().newInstance();
        return TestTasks.status(id, "FINISHED", op.apply(input), String.valueOf(c.getClassLoader().getName()));
    }

    private byte[] fetch(long id, byte[] input) throws IOException {
        String[] where = new String(input, StandardCharsets.UTF_8).split(":", 3);
        ByteArrayOutputStream fetched = new ByteArrayOutputStream();
        context.fetchBlock(new InetSocketAddress(where[0], Integer.parseInt(where[1])), where[2], fetched);
        return TestTasks.status(id, "FINISHED", bytes(TestTasks.describe(fetched.toByteArray())), "");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public BlockSource blocks() {
        String served = TestTasks.executorBlock(context.executorId());
        byte[] block = TestTasks.blockBytes(context.executorId());
        return blockId -> blockId.equals(served) ? new BlockData.InMemory(ByteBuffer.wrap(block)) : null;
    }

    @Override
    public void kill(long taskId, boolean interrupt, String reason) {
        killed.put(taskId, reason); // also when the kill overtakes the launch
        Thread t = running.get(taskId);
        if (t != null && interrupt) {
            t.interrupt();
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
