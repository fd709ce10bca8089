package dev.kindling.internal.yarn;

import java.util.Collection;
import java.util.Map;
import org.apache.hadoop.yarn.api.records.Resource;

/**
 * The executors of a driver that runs inside a cluster-mode application master
 * ({@link DriverApplicationMaster}): containers of this very application, asked for through the
 * master's {@link ContainerAllocator}, with the staged files the master got. Ids {@code 0..N-1} are
 * expected, replacements {@code N..N+F-1} may come; a container that fails is reported ended, and once
 * more than {@value YarnKeys#MAX_EXECUTOR_FAILURES} failed no executor comes any more.
 */
final class ClusterModeLauncher extends YarnExecutors {

    private final DriverApplicationMaster am;
    private volatile Events events;
    private boolean begun;

    /** A launcher for the executors {@code conf} asks for, in {@code am}'s application. */
    ClusterModeLauncher(DriverApplicationMaster am, Map<String, String> conf) {
        super(conf);
        this.am = am;
    }

    @Override
    public synchronized void start(Spec spec, Events events) {
        this.events = events;
        expectExecutors(events);
        int heapMb = YarnKeys.memoryMb(conf);
        ContainerAllocator.Group group = new ContainerAllocator.Group(spec.environment("0", ApplicationMaster.EXECUTOR_DIR),
                am.resources(), am.classPath(), executors, heapMb,
                Resource.newInstance(heapMb + YarnKeys.overheadMb(conf, heapMb), cores), maxFailures);
        am.begin(this, group);
        begun = true;
    }

    /** Executor {@code executorId}'s container ended with a non-zero status ({@code why}). */
    void containerEnded(String executorId, String why) {
        Events e = events;
        if (e != null) {
            e.ended(executorId, "Executor " + executorId + "'s YARN " + why);
        }
    }

    /** Too many containers failed ({@code why}): every executor is ended and none comes any more. */
    void failed(String why) {
        Events e = events;
        if (e != null) {
            endAll(e, why);
        } else {
            failure = why;
        }
    }

    @Override
    public String describe(Collection<String> waiting) {
        return " executors " + waiting + " were not started in time (" + YarnKeys.REGISTRATION_TIMEOUT_MS + "); the"
                + " cluster may have no room for containers of " + YarnKeys.memoryMb(conf) + " MiB + overhead and " + cores
                + " vcore(s); see the application's container logs (yarn logs -applicationId <id>).";
    }

    @Override
    public synchronized void stopExecutors(long graceMs) {
        if (begun) {
            begun = false;
            am.end(this); // the executors got StopExecutor; what is left is stopped with its container
        }
        events = null;
    }

    @Override
    public void close() {
        stopExecutors(0);
    }
}
