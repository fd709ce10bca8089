package dev.kindling.internal.cluster;

import dev.kindling.internal.network.AppSecret;
import dev.kindling.internal.network.NetworkConfig;
import dev.kindling.internal.network.TransportClientFactory;
import dev.kindling.internal.network.TransportServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver side of {@code local-cluster[E,C,M]}: E executor processes on this machine, started,
 * watched and stopped by the driver.
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
 *       {@code kindling.driver.host}), launches the processes (a scratch directory {@code executor-<id>}
 *       each under {@link ClusterSettings#localDir()}; settings and secret in the environment, never on
 *       the command line) and waits until all registered; a process that exits first, or a registration
 *       that takes longer than {@code kindling.network.timeoutMs}, fails with the process's last output.</li>
 *   <li>An executor whose process exits, or whose heartbeats stop for longer than
 *       {@code kindling.network.timeoutMs}, is removed (its process killed, its directory deleted) and
 *       {@link ClusterListener#executorLost} is called once for it, on the {@code kindling-cluster-monitor}
 *       thread.</li>
 *   <li>{@link #close()} sends every executor StopExecutor, then stops what is left (SIGTERM, then
 *       SIGKILL, processes they started included), closes the server and connections and deletes the
 *       scratch directories. It leaves no process, port, thread or directory behind.</li>
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
    private final Map<String, LaunchedExecutor> launched = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set once every executor registered; before, start() itself handles an executor's exit. */
    private volatile boolean running;
    private TransportServer server;

    private LocalCluster(ClusterSettings settings, NetworkConfig net, TransportClientFactory clients, ExecutorRegistry registry,
                         ScheduledExecutorService monitor) {
        this.settings = settings;
        this.net = net;
        this.clients = clients;
        this.registry = registry;
        this.monitor = monitor;
    }

    /**
     * Starts the executors of {@code settings.master()} and returns when all have registered; on any
     * failure everything started is stopped again and the exception says which executor failed and
     * what it printed last.
     */
    public static LocalCluster start(ClusterSettings settings, ClusterListener listener) throws IOException {
        long heartbeatMs = ClusterKeys.heartbeatIntervalMs(settings.conf());
        ClusterKeys.executorJavaOptions(settings.conf(), "0"); // a bad option fails before anything starts
        NetworkConfig net = NetworkConfig.fromMap(settings.conf(), ClusterKeys.DRIVER_HOST);
        AppSecret secret = AppSecret.generate();
        TransportClientFactory clients = TransportClientFactory.create(net, secret);
        ExecutorRegistry registry = new ExecutorRegistry(clients, listener, net.timeoutMs());
        ScheduledExecutorService monitor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, MONITOR_THREAD);
            t.setDaemon(true);
            return t;
        });
        LocalCluster cluster = new LocalCluster(settings, net, clients, registry, monitor);
        try {
            cluster.server = TransportServer.start(net, secret, 0, Math.max(2, Math.min(16, settings.master().totalCores() + 1)),
                    new DriverEndpoint(registry, settings.conf(), settings.classes(), settings.broadcasts(),
                            settings.mapStatuses(), settings.outputCommits()),
                    servedBlocks(settings.broadcasts().asBlocks(), settings.blocks()));
            cluster.launchAll(secret);
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

    private void launchAll(AppSecret secret) throws IOException {
        LocalClusterMaster master = settings.master();
        Map<String, String> secretEnv = Map.of(AppSecret.ENV_VAR, secret.toEnvironmentValue());
        for (int i = 0; i < master.executors(); i++) {
            String id = Integer.toString(i);
            Path dir = settings.localDir().resolve("executor-" + id);
            Files.createDirectories(dir);
            ExecutorSettings es = new ExecutorSettings(server.address(), id, master.cores(), dir, settings.taskSink(),
                    ClusterKeys.preRegistration(settings.conf()));
            registry.expect(id);
            LaunchedExecutor l = LaunchedExecutor.start(es, master.memoryMb(),
                    ClusterKeys.executorJavaOptions(settings.conf(), id), secretEnv);
            launched.put(id, l);
            registry.started(id, l.process().pid());
            l.process().onExit().thenRun(() -> onProcessExit(id));
        }
        awaitRegistrations();
        running = true;
        for (LaunchedExecutor l : launched.values()) {
            if (!l.process().isAlive()) {
                onProcessExit(l.executorId()); // it exited while start() was finishing, so its exit was not handled
            }
        }
    }

    private void awaitRegistrations() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(net.timeoutMs());
        while (true) {
            List<LaunchedExecutor> waiting = new ArrayList<>();
            for (LaunchedExecutor l : launched.values()) {
                if (!registry.isRegistered(l.executorId())) {
                    if (!l.process().isAlive()) {
                        l.stop(0); // drain its output
                        throw new IOException("Executor " + l.executorId() + " (pid " + l.process().pid() + ") exited with code "
                                + l.process().exitValue() + " before it registered with the driver at " + server.address()
                                + "; its last output:\n" + l.lastOutput());
                    }
                    waiting.add(l);
                }
            }
            if (waiting.isEmpty()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                StringBuilder why = new StringBuilder();
                for (LaunchedExecutor l : waiting) {
                    why.append("\nexecutor ").append(l.executorId()).append(" (pid ").append(l.process().pid())
                            .append("), last output:\n").append(l.lastOutput());
                }
                throw new IOException(waiting.size() + " executor(s) did not register with the driver at " + server.address()
                        + " within " + net.timeoutMs() + " ms (" + NetworkConfig.TIMEOUT_MS + "); a machine too busy to start"
                        + " a JVM, or executors that cannot reach the driver (kindling.driver.host):" + why);
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

    /** The registered executors, by id. */
    public List<ExecutorInfo> executors() {
        return registry.executors();
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
        List<java.util.concurrent.CompletableFuture<byte[]>> answers = new ArrayList<>();
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
        for (java.util.concurrent.CompletableFuture<byte[]> answer : answers) {
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

    private void expireSilent() {
        for (String id : registry.expireSilent()) {
            LaunchedExecutor l = launched.get(id);
            if (l != null) {
                l.process().destroyForcibly(); // its exit then cleans up
            }
        }
    }

    private void onProcessExit(String id) {
        try {
            monitor.execute(() -> {
                LaunchedExecutor l = launched.get(id);
                if (l == null || closed.get() || !running) {
                    return;
                }
                registry.remove(id, "its process (pid " + l.process().pid() + ") exited with code " + l.process().exitValue());
                if (launched.remove(id) != null) {
                    l.stop(0);
                    deleteScratch(l);
                }
            });
        } catch (RejectedExecutionException e) {
            // closing: close() stops and cleans up every executor itself
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
        List<LaunchedExecutor> all = new ArrayList<>(launched.values());
        launched.clear();
        for (LaunchedExecutor l : all) {
            if (registry.isRegistered(l.executorId())) {
                try {
                    registry.client(l.executorId()).send(new ClusterMessage.StopExecutor().encode());
                } catch (IOException | RuntimeException e) {
                    LOG.debug("Could not send StopExecutor to executor {}: {}", l.executorId(), e.toString());
                }
            }
        }
        for (LaunchedExecutor l : all) {
            l.stop(STOP_GRACE_MS);
            registry.remove(l.executorId(), "the driver stopped it");
        }
        clients.close();
        if (server != null) {
            server.close();
        }
        all.forEach(this::deleteScratch);
    }

    private void deleteScratch(LaunchedExecutor l) {
        try {
            FileTrees.delete(l.scratchDir());
        } catch (IOException e) {
            LOG.warn("Could not delete the scratch directory {} of executor {}: {}", l.scratchDir(), l.executorId(), e.toString());
        }
    }
}
