package dev.kindling.internal.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * The task sink of the cluster tests: a task ({@link TestTasks#task}) names a {@code UnaryOperator<byte[]>}
 * class, loaded through the executor's class loader (so a class only the driver has is fetched from
 * it), and applies it to the task's input on one of {@code cores} threads; the status says FINISHED
 * with the output, FAILED with the exception, or KILLED with the reason.
 */
public final class ClassRunningTaskSink implements TaskSink {

    private final ExecutorContext context;
    private final ExecutorService threads;
    private final Map<Long, Future<?>> running = new ConcurrentHashMap<>();
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
        long id;
        String className;
        byte[] input;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(task))) {
            id = in.readLong();
            className = in.readUTF();
            input = new byte[in.readInt()];
            in.readFully(input);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a test task", e);
        }
        running.put(id, threads.submit(() -> run(id, className, input)));
    }

    private void run(long id, String className, byte[] input) {
        byte[] status;
        try {
            Class<?> c = Class.forName(className, true, context.classLoader());
            @SuppressWarnings("unchecked")
            UnaryOperator<byte[]> op = (UnaryOperator<byte[]>) c.getConstructor().newInstance();
            byte[] out = op.apply(input);
            String reason = killed.get(id);
            status = reason != null ? TestTasks.status(id, "KILLED", bytes(reason), String.valueOf(c.getClassLoader()))
                    : TestTasks.status(id, "FINISHED", out, String.valueOf(c.getClassLoader().getName()));
        } catch (Throwable t) {
            status = TestTasks.status(id, "FAILED", bytes(t.toString()), "");
        }
        running.remove(id);
        try {
            context.sendStatus(status);
        } catch (IOException e) {
            // the driver is gone; the executor exits
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void kill(long taskId, boolean interrupt, String reason) {
        Future<?> f = running.get(taskId);
        if (f != null) {
            killed.put(taskId, reason);
            f.cancel(interrupt);
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
