package dev.kindling.internal.scheduler;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
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
 * <p>Failures: an event that throws, even an {@link Error}, never ends the loop and never just
 * disappears. Each event may come with its own failure handler, which fails the jobs it concerns;
 * events posted without one, and failure handlers that throw themselves, go to the loop's
 * {@code fallback} (the scheduler fails every active job). Then the loop goes on with the next
 * event.
 */
final class EventLoop {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
    private static final Event POISON = new Event(() -> { }, null);

    /** A posted event and what to do if it throws (null: the loop's fallback). */
    private record Event(Runnable action, Consumer<Throwable> onFailure) {
    }

    private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Consumer<Throwable> fallback;
    private volatile boolean terminated;

    /**
     * Creates and starts the loop on a daemon thread called {@code threadName}; {@code fallback}
     * handles failures of events posted without a handler of their own.
     */
    EventLoop(String threadName, Consumer<Throwable> fallback) {
        this.fallback = fallback;
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
        return post(event, null);
    }

    /**
     * Queues an event whose failure (any throwable) is passed to {@code onFailure} on the event
     * thread; see {@link #post(Runnable)}.
     */
    boolean post(Runnable event, Consumer<Throwable> onFailure) {
        queue.add(new Event(event, onFailure));
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
            Event event;
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
        for (Event event = queue.poll(); event != null; event = queue.poll()) {
            if (event != POISON) {
                runSafely(event);
            }
        }
    }

    private void runSafely(Event event) {
        try {
            event.action().run();
        } catch (Throwable e) {
            Throwables.warn(LOG, "A scheduler event failed; failing the jobs it concerns, the scheduler keeps running", e);
            handle(event.onFailure(), e);
        }
    }

    private void handle(Consumer<Throwable> onFailure, Throwable e) {
        if (onFailure != null) {
            try {
                onFailure.accept(e);
                return;
            } catch (Throwable again) {
                if (again != e) {
                    e.addSuppressed(again);
                }
            }
        }
        try {
            fallback.accept(e);
        } catch (Throwable again) {
            Throwables.warn(LOG, "Failing the jobs after a scheduler event failed threw too; the scheduler keeps running",
                    again);
        }
    }
}
