package dev.kindling.internal.cluster;

import dev.kindling.internal.network.NetworkConfig;
import dev.kindling.internal.network.TransportClient;
import dev.kindling.internal.network.TransportClientFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's table of its executors: the ones it launched and expects (id and process id), the ones
 * that registered (with a connection to each executor's server and the time of its last heartbeat),
 * and removal, which tells the {@link ClusterListener} once per registered executor. Thread-safe: it is
 * called from network handler threads, the monitor thread and process-exit handling at once.
 */
final class ExecutorRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorRegistry.class);

    /** A registered executor: what it said, the connection to its server, its last heartbeat. */
    private record Registered(ExecutorInfo info, TransportClient client, AtomicLong lastHeartbeatNanos, boolean noProcess) {
    }

    /** Executors launched and not removed, with their process ids (known once the process started). */
    private final Map<String, CompletableFuture<Long>> expected = new ConcurrentHashMap<>();
    private final Map<String, Registered> registered = new ConcurrentHashMap<>();
    private final TransportClientFactory clients;
    private final ClusterListener listener;
    private final long timeoutMs;
    private volatile boolean closing;

    ExecutorRegistry(TransportClientFactory clients, ClusterListener listener, long timeoutMs) {
        this.clients = clients;
        this.listener = listener;
        this.timeoutMs = timeoutMs;
    }

    /** The driver is about to start executor {@code executorId}; only such an executor may register. */
    void expect(String executorId) {
        expected.put(executorId, new CompletableFuture<>());
    }

    /** Executor {@code executorId}'s process started with id {@code pid} ({@code -1}: any, known only when it registers). */
    void started(String executorId, long pid) {
        CompletableFuture<Long> f = expected.get(executorId);
        if (f != null) {
            f.complete(pid);
        }
    }

    /**
     * Registers an executor: it must be expected under this id with this process id and not registered
     * yet; the driver connects to its server before answering. Anything else is an exception the
     * executor gets as its answer (and exits with).
     */
    ExecutorInfo register(ClusterMessage.RegisterExecutor m) throws IOException {
        CompletableFuture<Long> launched = expected.get(m.executorId());
        Long pid = null;
        try {
            // The process may register before the launcher learnt its pid; that comes microseconds later.
            pid = launched == null ? null : launched.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // not started by this driver after all
        }
        if (closing || pid == null || (pid >= 0 && pid != m.pid())) {
            throw new IllegalStateException("Executor " + m.executorId() + " (pid " + m.pid() + ") is not one this driver"
                    + " started " + (closing ? "(the driver is stopping)" : "or waits for; expected: " + expected.keySet()));
        }
        ExecutorInfo info = new ExecutorInfo(m.executorId(), m.host(), m.port(), m.cores(), m.pid());
        TransportClient client = clients.connect(info.address());
        // An executor started without a known pid (a YARN container) has no process exit the driver sees.
        Registered entry = new Registered(info, client, new AtomicLong(System.nanoTime()), pid < 0);
        if (registered.putIfAbsent(m.executorId(), entry) != null) {
            client.close();
            throw new IllegalStateException("Executor " + m.executorId() + " is already registered");
        }
        LOG.info("Executor {} registered: pid {}, {} cores, serving on {}:{}", info.executorId(), info.pid(), info.cores(),
                info.host(), info.port());
        listener.executorAdded(info);
        return info;
    }

    /** Records a heartbeat; an executor this driver does not know (any more) gets an error and exits. */
    void heartbeat(String executorId, byte[] metrics) {
        Registered entry = registered.get(executorId);
        if (entry == null) {
            throw new IllegalStateException("Executor " + executorId + " is not registered with this driver (it was removed"
                    + " as lost, or never registered); it should exit");
        }
        entry.lastHeartbeatNanos.set(System.nanoTime());
        listener.heartbeat(executorId, metrics);
    }

    /** Hands a status update on; one from an executor that was removed is dropped (its tasks were already lost). */
    void statusUpdate(String executorId, byte[] update) {
        if (registered.containsKey(executorId)) {
            listener.statusUpdate(executorId, update);
        } else {
            LOG.warn("Dropped a status update from executor {}, which is not registered (removed as lost?)", executorId);
        }
    }

    /** Hands a report of cached blocks on; one from an executor that was removed is dropped (its blocks are forgotten). */
    void blocksUpdated(String executorId, int[] stored, int[] removed) {
        if (registered.containsKey(executorId)) {
            listener.blocksUpdated(executorId, stored, removed);
        }
    }

    /** The connection to a registered executor's server, or an error naming it when it is not registered. */
    TransportClient client(String executorId) {
        Registered entry = registered.get(executorId);
        if (entry == null) {
            throw new IllegalArgumentException("No registered executor " + executorId + "; registered: " + registered.keySet());
        }
        return entry.client;
    }

    /** The registered executors, by id. */
    List<ExecutorInfo> executors() {
        List<ExecutorInfo> out = new ArrayList<>();
        registered.values().forEach(r -> out.add(r.info));
        out.sort(Comparator.comparing(ExecutorInfo::executorId));
        return out;
    }

    /** Whether executor {@code executorId} is registered. */
    boolean isRegistered(String executorId) {
        return registered.containsKey(executorId);
    }

    /**
     * Removes an executor; if it was registered and the driver is not stopping, tells the listener that
     * it is lost, once. Returns whether it was registered.
     */
    boolean remove(String executorId, String reason) {
        expected.remove(executorId);
        Registered entry = registered.remove(executorId);
        if (entry == null) {
            return false;
        }
        entry.client.close();
        if (!closing) {
            LOG.warn("Lost executor {} (pid {}): {}", executorId, entry.info.pid(), reason);
            try {
                listener.executorLost(executorId, reason);
            } catch (RuntimeException e) {
                LOG.error("The cluster listener failed on the loss of executor {}", executorId, e);
            }
        }
        return true;
    }

    /**
     * Removes every registered executor whose last heartbeat is older than the timeout, or, for one
     * started without a pid the driver knows (a YARN container, whose process exit the driver does not
     * see), whose server closed the driver's connection to it; returns their ids.
     */
    List<String> expireSilent() {
        List<String> expired = new ArrayList<>();
        long now = System.nanoTime();
        for (Registered r : registered.values()) {
            long silentMs = TimeUnit.NANOSECONDS.toMillis(now - r.lastHeartbeatNanos.get());
            String why = silentMs > timeoutMs ? "no heartbeat for " + silentMs + " ms (" + NetworkConfig.TIMEOUT_MS + "="
                    + timeoutMs + ")" : r.noProcess && !r.client.isActive() ? "its connection to the driver closed (its process ended)" : null;
            if (why != null && remove(r.info.executorId(), why)) {
                expired.add(r.info.executorId());
            }
        }
        return expired;
    }

    /** From now on removals are stops, not losses, and no executor may register. */
    void startClosing() {
        closing = true;
    }
}
