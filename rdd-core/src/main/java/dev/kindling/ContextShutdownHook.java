package dev.kindling;

import dev.kindling.internal.ContextInternals;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one JVM shutdown hook that closes every context still open when the JVM stops (SIGINT,
 * SIGTERM, {@code System.exit}, or the last non-daemon thread ending): running jobs are cancelled,
 * which ends their tasks and the child processes those tasks started, and each context is closed,
 * which deletes its scratch directory.
 *
 * <p>Rules:
 * <ol>
 *   <li>Contexts are held weakly, and a context leaves the set when it closes: nothing is kept alive
 *       by the hook, and nothing looks contexts up in it except the hook itself.</li>
 *   <li>The hook is installed once, when the first context registers.</li>
 *   <li>Each context is closed on a thread of its own, and the hook waits at most the largest
 *       {@value KindlingConf#SHUTDOWN_TIMEOUT_MS} of the open contexts (plus a second for the
 *       clean-up after it): a close that is stuck (a task that ignores interruption, or a thread that
 *       called {@code System.exit} while holding a lock close needs) cannot hold the JVM up for ever.
 *       A context still closing when the time is up has its scratch directory deleted directly.</li>
 * </ol>
 */
final class ContextShutdownHook {

    /** The reason given to jobs cancelled by the hook. */
    static final String REASON = "the JVM is shutting down (SIGINT, SIGTERM or System.exit)";

    private static final Logger LOG = LoggerFactory.getLogger(ContextShutdownHook.class);
    private static final long GRACE_MILLIS = 1_000;
    private static final Set<KindlingContext> OPEN = Collections.newSetFromMap(new WeakHashMap<>());
    private static boolean installed;

    private ContextShutdownHook() {
    }

    /** Makes the hook close {@code context} if it is still open when the JVM stops. */
    static void register(KindlingContext context) {
        synchronized (OPEN) {
            if (!installed) {
                try {
                    Runtime.getRuntime().addShutdownHook(new Thread(ContextShutdownHook::closeAll, "kindling-shutdown"));
                } catch (IllegalStateException e) {
                    return; // the JVM is already shutting down: the context is closed by whoever started it
                }
                installed = true;
            }
            OPEN.add(context);
        }
    }

    /** Forgets {@code context} (it was closed). */
    static void unregister(KindlingContext context) {
        synchronized (OPEN) {
            OPEN.remove(context);
        }
    }

    /** Whether {@code context} is registered (for tests). */
    static boolean isRegistered(KindlingContext context) {
        synchronized (OPEN) {
            return OPEN.contains(context);
        }
    }

    /** The hook's body: cancels and closes every open context, waiting a bounded time. */
    static void closeAll() {
        List<KindlingContext> open;
        synchronized (OPEN) {
            open = new ArrayList<>(OPEN);
        }
        close(open);
    }

    /** Cancels the jobs of {@code open} and closes them, each on a thread of its own, waiting a bounded time. */
    static void close(List<KindlingContext> open) {
        if (open.isEmpty()) {
            return;
        }
        long timeout = 0;
        List<Thread> closers = new ArrayList<>();
        for (KindlingContext context : open) {
            timeout = Math.max(timeout, context.getConf().getLong(KindlingConf.SHUTDOWN_TIMEOUT_MS, 10_000));
            Thread closer = new Thread(() -> {
                try {
                    ContextInternals.of(context).scheduler().cancelAllJobs(REASON);
                    context.close();
                } catch (RuntimeException | Error e) {
                    LOG.warn("Closing {} at JVM shutdown failed: {}", context, e.toString());
                }
            }, "kindling-shutdown-close-" + context.contextId());
            closer.setDaemon(true);
            closer.start();
            closers.add(closer);
        }
        long deadline = System.nanoTime() + (timeout + GRACE_MILLIS) * 1_000_000;
        for (int i = 0; i < closers.size(); i++) {
            try {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left > 0) {
                    closers.get(i).join(left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (closers.get(i).isAlive()) {
                KindlingContext context = open.get(i);
                LOG.warn("{} did not close within {} ms of the JVM shutting down; deleting its scratch directory {} anyway",
                        context, timeout + GRACE_MILLIS, context.localDir());
                ScratchDirectory.delete(context.localDir());
            }
        }
    }
}
