package dev.kindling.internal.yarn;

import dev.kindling.internal.cluster.ExecutorLauncher;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the two YARN launchers share (client mode's {@link YarnLauncher}, cluster mode's
 * {@link ClusterModeLauncher}): the executors the configuration asks for (checked when the launcher
 * is made), the ids expected of them ({@code 0..N-1}, replacements {@code N..N+F-1}), and the failure
 * that ends them all. A lost container is replaced by the application master, so {@link #kill} does
 * nothing here.
 */
abstract class YarnExecutors implements ExecutorLauncher {

    final Map<String, String> conf;
    final int executors;
    final int cores;
    final int maxFailures;
    private final Set<String> ids = new LinkedHashSet<>();
    /** Why no executor comes any more; null while they may. */
    volatile String failure;

    YarnExecutors(Map<String, String> conf) {
        this.conf = Map.copyOf(conf);
        this.executors = YarnKeys.instances(conf);
        this.cores = YarnKeys.cores(conf);
        this.maxFailures = YarnKeys.maxExecutorFailures(conf);
        YarnKeys.memoryMb(conf); // checked before anything starts
    }

    @Override
    public int executors() {
        return executors;
    }

    @Override
    public int coresPerExecutor() {
        return cores;
    }

    @Override
    public long registrationTimeoutMs(long networkTimeoutMs) {
        return YarnKeys.registrationTimeoutMs(conf);
    }

    /** Tells {@code events} to expect executors {@code 0..N-1} (started) and replacements {@code N..N+F-1}. */
    final synchronized void expectExecutors(Events events) {
        for (int i = 0; i < executors + maxFailures; i++) {
            String id = Integer.toString(i);
            ids.add(id);
            if (i < executors) {
                events.expect(id);
                events.started(id, -1);
            } else {
                events.expectReplacement(id);
            }
        }
    }

    /** Records {@code why} as the failure and reports every expected executor ended with it. */
    final void endAll(Events events, String why) {
        failure = why;
        for (String id : ids) {
            events.ended(id, why);
        }
        events.unavailable(why);
    }

    @Override
    public String startFailure(Collection<String> waiting) {
        return failure;
    }

    @Override
    public String unavailable() {
        return failure;
    }

    @Override
    public void kill(String executorId) {
        // The application master sees the container end and asks for a replacement.
    }
}
