package dev.kindling.internal.cluster;

import dev.kindling.internal.network.AppSecret;
import dev.kindling.internal.network.NetworkConfig;
import dev.kindling.internal.network.TransportClientFactory;
import dev.kindling.internal.network.TransportServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver side of executor processes: its server, the registry of its executors and the heartbeat
 * watch, with the processes themselves started and stopped by an {@link ExecutorLauncher} (child
 * processes on this machine for {@code local-cluster[E,C,M]}, {@link LocalProcessLauncher}; YARN
 * containers for {@code yarn}). Executors register the same way whatever started them.
 *
 * <pre>
 *   driver JVM                                          executor JVM (x E)
 *     TransportServer + DriverEndpoint  <-- register, heartbeat, FetchClass, StatusUpdate --  ExecutorProcess
 *     ExecutorRegistry (clients)        -- LaunchTask, KillTask, StopExecutor -->             TransportServer + ExecutorEndpoint
 *     LaunchedExecutor (process, output -> log "[executor id]")                                 TaskSink
 * </pre>
 *
 * <ol>
 *   <li>{@link #start} generates the application secret, starts the driver's server (loopback unless
 *       {@code kindling.driver.host}), has the launcher start the processes (settings and secret in the
 *       environment, never on the command line) and waits until all registered; a process that exits
 *       first, or a registration that takes longer than the launcher's registration timeout
 *       ({@code kindling.network.timeoutMs} for local processes), fails with the process's last output.</li>
 *   <li>An executor whose process exits, or whose heartbeats stop for longer than
 *       {@code kindling.network.timeoutMs}, is removed (its process killed) and
 *       {@link ClusterListener#executorLost} is called once for it, on the {@code kindling-cluster-monitor}
 *       thread.</li>
 *   <li>{@link #checkExecutor} (a reduce task could not fetch from an executor) pings it; one that does
 *       not answer within {@code kindling.network.timeoutMs}, or whose connection is gone, is removed the
 *       same way (its process killed, {@link ClusterListener#executorLost} called once).</li>
 *   <li>{@link #close()} sends every executor StopExecutor, has the launcher stop what is left
 *       (for local processes SIGTERM, then SIGKILL, processes they started included, and their scratch
 *       directories deleted), closes the server and connections. It leaves no process, port, thread or
 *       directory behind.</li>
 * </ol>
 * Executors stop by themselves when the driver's connection is lost (a driver killed with
 * {@code kill -9}), see {@link ExecutorProcess}.
 */
public final class LocalCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);
    /** How long close() lets an executor exit by itself after StopExecutor. */
    private static final long STOP_GRACE_MS = 5_000;
    private static final String MONITOR_THREAD = "kindling-cluster-monitor";

    private final ClusterSettings settings;
    private final NetworkConfig net;
    private final TransportClientFactory clients;
    private final ExecutorRegistry registry;
    private final ScheduledExecutorService monitor;
    private final ExecutorLauncher launcher;
    /** The executors the launcher started first, which start() waits for. */
    private final Set<String> initial = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set once the first executors registered: executors expected later are replacements start() does not wait for. */
    private volatile boolean running;
    private TransportServer server;

    private LocalCluster(ClusterSettings settings, NetworkConfig net, TransportClientFactory clients, ExecutorRegistry registry,
                         ScheduledExecutorService monitor, ExecutorLauncher launcher) {
        this.settings = settings;
        this.net = net;
        this.clients = clients;
        this.registry = registry;
        this.monitor = monitor;
        this.launcher = launcher;
    }

    /**
     * Starts the executors of {@code settings.master()} and returns when all have registered; on any
     * failure everything started is stopped again and the exception says which executor failed and
     * what it printed last.
     */
    public static LocalCluster start(ClusterSettings settings, ClusterListener listener) throws IOException {
        return start(settings, listener, new LocalProcessLauncher(settings.master(), settings.conf()));
    }

    /**
     * Starts the driver's server and has {@code launcher} start the executors; returns when all have
     * registered. On any failure everything started is stopped again (the launcher included) and the
     * exception says which executor failed and what it printed last.
     */
    public static LocalCluster start(ClusterSettings settings, ClusterListener listener, ExecutorLauncher launcher)
            throws IOException {
        long heartbeatMs = ClusterKeys.heartbeatIntervalMs(settings.conf());
        NetworkConfig net = NetworkConfig.fromMap(settings.conf(), ClusterKeys.DRIVER_HOST);
        AppSecret secret = AppSecret.generate();
        TransportClientFactory clients = TransportClientFactory.create(net, secret);
        ExecutorRegistry registry = new ExecutorRegistry(clients, listener, net.timeoutMs());
        ScheduledExecutorService monitor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, MONITOR_THREAD);
            t.setDaemon(true);
            return t;
        });
        LocalCluster cluster = new LocalCluster(settings, net, clients, registry, monitor, launcher);
        try {
            int slots = launcher.executors() * launcher.coresPerExecutor();
            cluster.server = TransportServer.start(net, secret, 0, Math.max(2, Math.min(16, slots + 1)),
                    new DriverEndpoint(registry, settings.conf(), settings.classes(), settings.broadcasts(),
                            settings.mapStatuses(), settings.outputCommits()),
                    servedBlocks(settings.broadcasts().asBlocks(), settings.blocks()));
            cluster.launchAll(secret, listener);
            long periodMs = Math.max(50, Math.min(heartbeatMs, net.timeoutMs() / 4));
            monitor.scheduleWithFixedDelay(cluster::expireSilent, periodMs, periodMs, TimeUnit.MILLISECONDS);
            return cluster;
        } catch (IOException | RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** The blocks the driver's server serves: broadcast values, then the settings' own blocks. */
    private static dev.kindling.internal.network.BlockSource servedBlocks(dev.kindling.internal.network.BlockSource broadcasts,
                                                                          dev.kindling.internal.network.BlockSource others) {
        return blockId -> {
            dev.kindling.internal.network.BlockData b = broadcasts.open(blockId);
            return b != null ? b : others.open(blockId);
        };
    }

    private void launchAll(AppSecret secret, ClusterListener listener) throws IOException {
        Map<String, String> secretEnv = Map.of(AppSecret.ENV_VAR, secret.toEnvironmentValue());
        Map<String, String> preRegistration = ClusterKeys.preRegistration(settings.conf());
        InetSocketAddress address = server.address();
        ExecutorLauncher.Spec spec = new ExecutorLauncher.Spec() {
            @Override
            public InetSocketAddress driverAddress() {
                return address;
            }

            @Override
            public Map<String, String> environment(String executorId, String scratchDir) {
                Map<String, String> env = new LinkedHashMap<>(new ExecutorSettings(address, executorId,
                        launcher.coresPerExecutor(), Path.of(scratchDir), settings.taskSink(), preRegistration).toEnvironment());
                env.putAll(secretEnv);
                return env;
            }

            @Override
            public Path localDir() {
                return settings.localDir();
            }
        };
        launcher.start(spec, new ExecutorLauncher.Events() {
            @Override
            public void expect(String executorId) {
                registry.expect(executorId);
                if (!running) {
                    initial.add(executorId);
                }
            }

            @Override
            public void expectReplacement(String executorId) {
                registry.expect(executorId);
                registry.started(executorId, -1);
            }

            @Override
            public void started(String executorId, long pid) {
                registry.started(executorId, pid);
            }

            @Override
            public void ended(String executorId, String why) {
                onExecutorEnded(executorId, why);
            }

            @Override
            public void unavailable(String why) {
                try {
                    monitor.execute(() -> {
                        if (!closed.get()) {
                            listener.unavailable(why);
                        }
                    });
                } catch (RejectedExecutionException e) {
                    // closing
                }
            }
        });
        awaitRegistrations();
        running = true;
    }

    private void awaitRegistrations() throws IOException {
        long timeoutMs = launcher.registrationTimeoutMs(net.timeoutMs());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            List<String> waiting = new ArrayList<>();
            for (String id : initial) {
                if (!registry.isRegistered(id)) {
                    waiting.add(id);
                }
            }
            if (waiting.isEmpty()) {
                return;
            }
            String failure = launcher.startFailure(waiting);
            if (failure != null) {
                throw new IOException(failure + "\n(the driver listens at " + server.address() + ")");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException(waiting.size() + " executor(s) did not register with the driver at " + server.address()
                        + " within " + timeoutMs + " ms (" + NetworkConfig.TIMEOUT_MS + "); a machine too busy to start"
                        + " a JVM, or executors that cannot reach the driver (kindling.driver.host):"
                        + launcher.describe(waiting));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while waiting for executors to register", e);
            }
        }
    }

    /** The driver's server address, which executors connect to. */
    public InetSocketAddress driverAddress() {
        return server.address();
    }

    /** Why no executor will come any more (the launcher's resource manager ended the application), or null. */
    public String unavailable() {
        return launcher.unavailable();
    }

    /** The registered executors, by id. */
    public List<ExecutorInfo> executors() {
        return registry.executors();
    }

    /**
     * Whether executor {@code executorId} is registered: false from the moment it is removed as lost,
     * which is before the backend hears of the loss.
     */
    public boolean isRegistered(String executorId) {
        return registry.isRegistered(executorId);
    }

    /** Sends a task (its encoded description) to executor {@code executorId}; an unknown executor is an error naming it. */
    public void launchTask(String executorId, byte[] task) throws IOException {
        registry.client(executorId).send(new ClusterMessage.LaunchTask(task).encode());
    }

    /** Asks executor {@code executorId} to stop task {@code taskId} ({@code interrupt}: interrupt its thread). */
    public void killTask(String executorId, long taskId, boolean interrupt, String reason) throws IOException {
        registry.client(executorId).send(new ClusterMessage.KillTask(taskId, interrupt, reason).encode());
    }

    /**
     * Asks executor {@code executorId} to drop every cached partition of RDD {@code rddId} and waits for its
     * answer; returns how many it dropped.
     */
    public int removeRdd(String executorId, int rddId) throws IOException {
        byte[] answer = registry.client(executorId).requestAndWait(new ClusterMessage.RemoveRdd(rddId).encode());
        return ClusterMessage.decode(answer, ClusterMessage.RddRemoved.class).blocks();
    }

    /**
     * Fetches block {@code blockId} (a large task result) from executor {@code executorId}'s server, in
     * chunks, into one array of its size.
     */
    public byte[] fetchBlock(String executorId, String blockId) throws IOException {
        return registry.client(executorId).fetchBytes(blockId);
    }

    /**
     * Asks executor {@code executorId} to delete its block {@code blockId} and waits for it to say done
     * (at most {@code kindling.network.timeoutMs}).
     */
    public void removeBlock(String executorId, String blockId) throws IOException {
        registry.client(executorId).requestAndWait(new ClusterMessage.RemoveBlock(blockId).encode());
    }

    /**
     * Asks each of {@code executorIds} that is still registered to drop its copy of broadcast
     * {@code broadcastId}; with {@code blocking}, waits until every one has (at most
     * {@code kindling.network.timeoutMs}). An executor that cannot be asked is logged and skipped: a lost
     * executor holds nothing any more.
     */
    public void removeBroadcast(long broadcastId, java.util.Collection<String> executorIds, boolean blocking) {
        List<CompletableFuture<byte[]>> answers = new ArrayList<>();
        byte[] message = new ClusterMessage.RemoveBroadcast(broadcastId).encode();
        for (String id : executorIds) {
            if (registry.isRegistered(id)) {
                try {
                    answers.add(registry.client(id).request(message));
                } catch (RuntimeException e) {
                    LOG.debug("Could not ask executor {} to drop broadcast {}: {}", id, broadcastId, e.toString());
                }
            }
        }
        if (!blocking) {
            return;
        }
        for (CompletableFuture<byte[]> answer : answers) {
            try {
                answer.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.warn("An executor did not drop its copy of broadcast {}: {}", broadcastId, e.getCause().toString());
            }
        }
    }

    /**
     * Checks that executor {@code executorId} still answers, because a reduce task could not fetch map
     * output from it ({@code reason}): sends it a {@link ClusterMessage.Ping}; when the request fails (its
     * process is gone and the connection with it) or gets no answer within {@code kindling.network.timeoutMs},
     * the executor is removed as lost (on the monitor thread, as an executor whose heartbeats stopped) and
     * its process killed. Returns at once, with a future that says whether the executor answered: true, or
     * false once it was removed (or when it was not registered: already removed).
     */
    public CompletableFuture<Boolean> checkExecutor(String executorId, String reason) {
        CompletableFuture<Boolean> verdict = new CompletableFuture<>();
        if (closed.get() || !registry.isRegistered(executorId)) {
            verdict.complete(false);
            return verdict;
        }
        CompletableFuture<byte[]> answer;
        try {
            answer = registry.client(executorId).request(new ClusterMessage.Ping().encode());
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((body, error) -> {
            if (error == null) {
                LOG.info("Executor {} still answers after a reduce task could not fetch from it ({}); it stays",
                        executorId, reason);
                verdict.complete(true);
                return;
            }
            String why = "it did not answer the driver (" + error + ") after a reduce task could not fetch from it: "
                    + reason;
            try {
                monitor.execute(() -> {
                    if (!closed.get() && registry.remove(executorId, why)) {
                        launcher.kill(executorId);
                    }
                    verdict.complete(false);
                });
            } catch (RejectedExecutionException e) {
                verdict.complete(false); // closing: close() stops every executor itself
            }
        });
        return verdict;
    }

    private void expireSilent() {
        for (String id : registry.expireSilent()) {
            launcher.kill(id); // its end is then reported, and removing it again does nothing
        }
    }

    private void onExecutorEnded(String id, String why) {
        try {
            monitor.execute(() -> {
                if (!closed.get()) {
                    registry.remove(id, why);
                }
            });
        } catch (RejectedExecutionException e) {
            // closing: close() stops every executor itself
        }
    }

    /** Stops every executor process, the server and all connections and threads, and deletes the scratch directories. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        registry.startClosing();
        monitor.shutdown();
        try {
            // A listener may close the cluster from the monitor thread; it cannot wait for itself.
            if (!Thread.currentThread().getName().equals(MONITOR_THREAD) && !monitor.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("The cluster monitor thread did not finish within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<ExecutorInfo> all = registry.executors();
        for (ExecutorInfo e : all) {
            try {
                registry.client(e.executorId()).send(new ClusterMessage.StopExecutor().encode());
            } catch (IOException | RuntimeException ex) {
                LOG.debug("Could not send StopExecutor to executor {}: {}", e.executorId(), ex.toString());
            }
        }
        try {
            launcher.stopExecutors(STOP_GRACE_MS);
        } catch (RuntimeException e) {
            LOG.warn("Could not stop every executor: {}", e.toString(), e);
        }
        for (ExecutorInfo e : all) {
            registry.remove(e.executorId(), "the driver stopped it");
        }
        clients.close();
        if (server != null) {
            server.close();
        }
        try {
            launcher.close();
        } catch (RuntimeException e) {
            LOG.warn("Could not release the executor launcher: {}", e.toString(), e);
        }
    }
}
