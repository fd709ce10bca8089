package dev.kindling.scheduler;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's single event thread: runs posted events one at a time, in posting order, so the
 * scheduler's state needs no locks.
 *
 * <p>Stopping: {@link #stop(long)} posts a poison pill. When the thread reaches it, it marks the loop
 * terminated, then runs whatever was posted before that moment and exits. An event posted after
 * termination may never run, so {@link #post} tells its caller whether its event is certain to run;
 * a caller that gets {@code false} must complete its own waiters (idempotently, since the event may
 * still run).
 *
 * <p>An event that throws is logged and the loop goes on; event handlers are expected to fail the
 * jobs concerned themselves before that.
 */
final class EventLoop {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
    private static final Runnable POISON = () -> { };

    private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean terminated;

    /** Creates and starts the loop on a daemon thread called {@code threadName}. */
    EventLoop(String threadName) {
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Queues an event.
     *
     * @return true if the event is certain to run; false if the loop has terminated, in which case it
     *     may or may not run
     */
    boolean post(Runnable event) {
        queue.add(event);
        return !terminated;
    }

    /** Whether the calling thread is the event thread. */
    boolean isEventThread() {
        return Thread.currentThread() == thread;
    }

    /** Name of the event thread. */
    String threadName() {
        return thread.getName();
    }

    /** Lets queued events run, then ends the thread; waits up to {@code timeoutMillis} for it. */
    void stop(long timeoutMillis) {
        queue.add(POISON);
        if (isEventThread()) {
            return;
        }
        try {
            thread.join(Math.max(1, timeoutMillis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (true) {
            Runnable event;
            try {
                event = queue.take();
            } catch (InterruptedException e) {
                // Nobody but stop() ends this loop; a stray interrupt is ignored.
                continue;
            }
            if (event == POISON) {
                break;
            }
            runSafely(event);
        }
        terminated = true;
        for (Runnable event = queue.poll(); event != null; event = queue.poll()) {
            if (event != POISON) {
                runSafely(event);
            }
        }
    }

    private static void runSafely(Runnable event) {
        try {
            event.run();
        } catch (Throwable e) {
            LOG.error("Scheduler event failed; the scheduler keeps running", e);
        }
    }
}
