package dev.kindling.internal.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
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
 * killed), its directory deleted and reported through {@link ExecutorLauncher.Events#ended}.
 */
public final class LocalProcessLauncher implements ExecutorLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(LocalProcessLauncher.class);

    private final LocalClusterMaster master;
    private final Map<String, String> conf;
    private final Map<String, LaunchedExecutor> launched = new ConcurrentHashMap<>();
    private final AtomicBoolean stopping = new AtomicBoolean();

    /** A launcher for the executors of {@code master}, with JVM options from {@code conf}'s {@code kindling.executor.extraJavaOptions}. */
    public LocalProcessLauncher(LocalClusterMaster master, Map<String, String> conf) {
        this.master = master;
        this.conf = Map.copyOf(conf);
        ClusterKeys.executorJavaOptions(this.conf, "0"); // a bad option fails before anything starts
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
        for (int i = 0; i < master.executors(); i++) {
            String id = Integer.toString(i);
            Path dir = spec.localDir().resolve("executor-" + id);
            Files.createDirectories(dir);
            events.expect(id);
            LaunchedExecutor l = LaunchedExecutor.start(id, dir, master.memoryMb(),
                    ClusterKeys.executorJavaOptions(conf, id), spec.environment(id, dir.toString()));
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
