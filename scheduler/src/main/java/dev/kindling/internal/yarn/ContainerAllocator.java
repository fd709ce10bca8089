package dev.kindling.internal.yarn;

import dev.kindling.internal.cluster.ExecutorLauncher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.yarn.api.protocolrecords.AllocateResponse;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.Priority;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.client.api.AMRMClient;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.NMClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor containers of one driver, asked for and started by an application master that is
 * registered with the ResourceManager: the client-mode {@link ApplicationMaster} and the cluster-mode
 * {@link DriverApplicationMaster} share it.
 *
 * <ol>
 *   <li>{@link #begin} asks for the executors of a {@link Group} (ids {@code 0..N-1}).</li>
 *   <li>{@link #step} is one heartbeat to the ResourceManager: starts {@code ExecutorProcess} in each
 *       allocated container (the group's environment, with the executor's id), and for a container that
 *       ended with a non-zero status tells the group's {@link Listener} and asks for a replacement
 *       (next id), until more than the group's maximum failed: then it returns why. Without a group it
 *       only keeps the application alive (and releases containers nobody asked for).</li>
 *   <li>{@link #end} stops the group's running containers and withdraws its requests.</li>
 * </ol>
 * Thread safety: every method is synchronized; a heartbeat thread may call {@link #step} while the
 * driver's thread calls {@link #begin} and {@link #end}.
 */
final class ContainerAllocator {

    /** An executor container of the group ended with a non-zero status; called inside {@link #step}. */
    interface Listener {

        /** Executor {@code executorId}'s container ended ({@code why}). */
        void ended(String executorId, String why);
    }

    /**
     * What the executors of one driver need: their environment (settings and secret), the staged files,
     * the class path, heap and container size, and how many may fail.
     */
    record Group(Map<String, String> executorEnv, Map<String, LocalResource> resources, String classPath, int executors,
                 int heapMb, Resource capability, int maxFailures) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ContainerAllocator.class);
    private static final Priority PRIORITY = Priority.newInstance(1);

    private final AMRMClient<ContainerRequest> rm;
    private final NMClient nm;
    private final Deque<String> wanted = new ArrayDeque<>();
    private final List<ContainerRequest> outstanding = new ArrayList<>();
    private final Map<ContainerId, String> running = new HashMap<>();
    private final Map<ContainerId, Container> containers = new HashMap<>();
    private Group group;
    private Listener listener;
    private int nextId;
    private int failures;

    /** An allocator over the clients of a registered application master. */
    ContainerAllocator(AMRMClient<ContainerRequest> rm, NMClient nm) {
        this.rm = rm;
        this.nm = nm;
    }

    /** Asks for {@code g}'s executors; one group at a time. */
    synchronized void begin(Group g, Listener l) {
        if (group != null) {
            throw new IllegalStateException("This application master runs the executors of one context at a time; close"
                    + " the first KindlingContext before building another");
        }
        group = g;
        listener = l;
        failures = 0;
        nextId = g.executors();
        for (int i = 0; i < g.executors(); i++) {
            wanted.add(Integer.toString(i));
            request();
        }
        LOG.info("Asking for {} executor container(s) of {}", g.executors(), g.capability());
    }

    /** One heartbeat: starts allocated containers, replaces failed ones; returns why the group failed, or null. */
    synchronized String step(float progress) throws Exception {
        AllocateResponse response = rm.allocate(progress);
        for (Container c : response.getAllocatedContainers()) {
            if (group == null || wanted.isEmpty() || outstanding.isEmpty()) {
                rm.releaseAssignedContainer(c.getId());
                continue;
            }
            rm.removeContainerRequest(outstanding.remove(0));
            launch(c, wanted.poll());
        }
        for (ContainerStatus s : response.getCompletedContainersStatuses()) {
            containers.remove(s.getContainerId());
            String id = running.remove(s.getContainerId());
            if (id == null || group == null || s.getExitStatus() == 0) {
                continue; // stopped by its driver, or one of a group that ended
            }
            failures++;
            String why = "container " + s.getContainerId() + " ended with status " + s.getExitStatus() + ": "
                    + s.getDiagnostics();
            LOG.warn("Executor {}'s {} ({} of {} failures allowed)", id, why, failures, group.maxFailures());
            listener.ended(id, why);
            if (failures > group.maxFailures()) {
                return failures + " executor containers failed, more than " + YarnKeys.MAX_EXECUTOR_FAILURES + "="
                        + group.maxFailures() + "; the last, executor " + id + ", ended with status " + s.getExitStatus()
                        + ": " + s.getDiagnostics();
            }
            wanted.add(Integer.toString(nextId++));
            request();
        }
        return null;
    }

    /** Stops the group's containers and withdraws what it still asked for; the allocator may begin again. */
    synchronized void end() {
        for (ContainerRequest r : outstanding) {
            rm.removeContainerRequest(r);
        }
        outstanding.clear();
        wanted.clear();
        for (Container c : containers.values()) {
            try {
                nm.stopContainer(c.getId(), c.getNodeId());
            } catch (Exception e) {
                LOG.warn("Could not stop container {}: {}", c.getId(), e.toString());
            }
        }
        containers.clear();
        running.clear();
        group = null;
        listener = null;
    }

    private void request() {
        ContainerRequest r = new ContainerRequest(group.capability(), null, null, PRIORITY);
        rm.addContainerRequest(r);
        outstanding.add(r);
    }

    private void launch(Container c, String executorId) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        group.executorEnv().forEach((k, v) -> env.put(k, ContainerEnv.shellQuoted(v)));
        env.put(ExecutorLauncher.EXECUTOR_ID_VARIABLE, ContainerEnv.shellQuoted(executorId));
        String cmd = "mkdir -p kindling-executor && " + ApplicationMaster.command(group.heapMb(), group.classPath(),
                "dev.kindling.internal.cluster.ExecutorProcess");
        ContainerLaunchContext ctx = ContainerLaunchContext.newInstance(group.resources(), env, List.of(cmd), null, null, null);
        running.put(c.getId(), executorId);
        containers.put(c.getId(), c);
        LOG.info("Starting executor {} in container {} on {}", executorId, c.getId(), c.getNodeId());
        nm.startContainer(c, ctx);
    }
}
