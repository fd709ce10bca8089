package dev.kindling.internal.scheduler.backend;

import java.util.Objects;
import java.util.Set;

/**
 * Where a task would rather run, as the scheduler computed it when it launched the task: the
 * executors holding its cached partition (PROCESS_LOCAL), else the hosts holding its input, such
 * as an HDFS split's data nodes (NODE_LOCAL). Both empty: any executor will do.
 *
 * @param executors ids of executors that hold the task's cached input
 * @param hosts     host names that hold the task's input (an executor matches by its registered host)
 */
public record TaskPreferences(Set<String> executors, Set<String> hosts) {

    /** No preference: the task runs wherever a slot is free, at once. */
    public static final TaskPreferences NONE = new TaskPreferences(Set.of(), Set.of());

    /** Copies the sets. */
    public TaskPreferences {
        executors = Set.copyOf(Objects.requireNonNull(executors, "executors"));
        hosts = Set.copyOf(Objects.requireNonNull(hosts, "hosts"));
    }

    /** A preference for the executors holding a cached block. */
    public static TaskPreferences executors(Set<String> executorIds) {
        return executorIds.isEmpty() ? NONE : new TaskPreferences(executorIds, Set.of());
    }

    /** A preference for hosts holding the input (HDFS block locations). */
    public static TaskPreferences hosts(Set<String> hostNames) {
        return hostNames.isEmpty() ? NONE : new TaskPreferences(Set.of(), hostNames);
    }

    /** Whether there is no preference at all. */
    public boolean isEmpty() {
        return executors.isEmpty() && hosts.isEmpty();
    }
}
