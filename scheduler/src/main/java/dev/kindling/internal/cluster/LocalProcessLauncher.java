package dev.kindling.internal.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The launcher of {@code local-cluster[E,C,M]}: E child processes of the driver on this machine, each
 * with its scratch directory {@code executor-<id>} under the driver's local directory, its output in
 * the driver's log ({@link LaunchedExecutor}). A process that exits is stopped (processes it started
 * killed), its directory deleted and reported through {@link ExecutorLauncher.Events#ended}. With
 * {@code kindling.localCluster.executorHosts} set, executor i binds to (and registers with) the i-th host
 * of that list, so that one machine's executors count as several hosts for locality.
 */
public final class LocalProcessLauncher implements ExecutorLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(LocalProcessLauncher.class);

    private final LocalClusterMaster master;
    private final Map<String, String> conf;
    private final Map<String, LaunchedExecutor> launched = new ConcurrentHashMap<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    /** Executor i's bind host ({@code kindling.localCluster.executorHosts}); empty: the shared {@code kindling.executor.host}. */
    private final List<String> hosts;

    /**
     * A launcher for the executors of {@code master}, with JVM options from {@code conf}'s
     * {@code kindling.executor.extraJavaOptions} and bind hosts from its {@code kindling.localCluster.executorHosts}.
     */
    public LocalProcessLauncher(LocalClusterMaster master, Map<String, String> conf) {
        this.master = master;
        this.conf = Map.copyOf(conf);
        ClusterKeys.executorJavaOptions(this.conf, "0"); // a bad option fails before anything starts
        this.hosts = ClusterKeys.localClusterExecutorHosts(this.conf, master.executors());
    }

    @Override
    public int executors() {
        return master.executors();
    }

    @Override
    public int coresPerExecutor() {
        return master.cores();
    }

    @Override
    public void start(Spec spec, Events events) throws IOException {
        hosts.forEach(LocalProcessLauncher::checkBindable); // before any process starts
        for (int i = 0; i < master.executors(); i++) {
            String id = Integer.toString(i);
            Path dir = spec.localDir().resolve("executor-" + id);
            Files.createDirectories(dir);
            events.expect(id);
            Map<String, String> env = new LinkedHashMap<>(spec.environment(id, dir.toString()));
            if (!hosts.isEmpty()) {
                env.putAll(ExecutorSettings.fromEnvironment(env).withConf(ClusterKeys.EXECUTOR_HOST, hosts.get(i)).toEnvironment());
            }
            LaunchedExecutor l = LaunchedExecutor.start(id, dir, master.memoryMb(),
                    ClusterKeys.executorJavaOptions(conf, id), env);
            launched.put(id, l);
            events.started(id, l.process().pid());
            l.process().onExit().thenRun(() -> {
                if (!stopping.get()) {
                    l.stop(0); // drains its output, kills what it started
                    deleteScratch(l);
                    events.ended(id, "its process (pid " + l.process().pid() + ") exited with code " + l.process().exitValue());
                }
            });
        }
    }

    /** Fails, naming the key, unless a server can listen on {@code host} on this machine. */
    private static void checkBindable(String host) {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            probe.getLocalPort();
        } catch (IOException e) {
            throw new IllegalArgumentException(ClusterKeys.LOCAL_CLUSTER_EXECUTOR_HOSTS + " names \"" + host + "\", which"
                    + " is not an address a server on this machine can listen on (" + e.getMessage() + "); name addresses"
                    + " of this machine, such as 127.0.0.1,127.0.0.2 on Linux", e);
        }
    }

    @Override
    public String startFailure(Collection<String> waiting) {
        for (String id : waiting) {
            LaunchedExecutor l = launched.get(id);
            if (l != null && !l.process().isAlive()) {
                l.stop(0); // drain its output
                return "Executor " + id + " (pid " + l.process().pid() + ") exited with code " + l.process().exitValue()
                        + " before it registered with the driver; its last output:\n" + l.lastOutput();
            }
        }
        return null;
    }

    /**
     * Why no executor will come any more: every process this launcher started has exited (local-cluster
     * starts no replacements), so a task waiting for an executor fails instead of waiting forever; null
     * while one runs, before the start and while stopping.
     */
    @Override
    public String unavailable() {
        if (stopping.get() || launched.isEmpty()) {
            return null;
        }
        for (LaunchedExecutor l : launched.values()) {
            if (l.process().isAlive()) {
                return null;
            }
        }
        return "every executor process of " + master + " has exited, and local-cluster starts no replacements";
    }

    @Override
    public String describe(Collection<String> waiting) {
        StringBuilder why = new StringBuilder();
        for (String id : waiting) {
            LaunchedExecutor l = launched.get(id);
            if (l != null) {
                why.append("\nexecutor ").append(id).append(" (pid ").append(l.process().pid()).append("), last output:\n")
                        .append(l.lastOutput());
            }
        }
        return why.toString();
    }

    @Override
    public void kill(String executorId) {
        LaunchedExecutor l = launched.get(executorId);
        if (l != null) {
            l.process().destroyForcibly(); // its exit then cleans up
        }
    }

    @Override
    public void stopExecutors(long graceMs) {
        stopping.set(true);
        List<LaunchedExecutor> all = new ArrayList<>(launched.values());
        launched.clear();
        for (LaunchedExecutor l : all) {
            l.stop(graceMs);
        }
        all.forEach(LocalProcessLauncher::deleteScratch);
    }

    private static void deleteScratch(LaunchedExecutor l) {
        try {
            FileTrees.delete(l.scratchDir());
        } catch (IOException e) {
            LOG.warn("Could not delete the scratch directory {} of executor {}: {}", l.scratchDir(), l.executorId(), e.toString());
        }
    }
}
