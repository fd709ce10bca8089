package dev.kindling.internal.scheduler;

import dev.kindling.scheduler.Lineage;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** A submitted job's bookkeeping: what to compute, what has finished, where results go. */
final class ActiveJob {

    final int jobId;
    final Lineage rdd;
    final int[] partitions;
    final Map<Integer, Integer> indexOfPartition = new HashMap<>();
    final TaskFunction<Object> function;
    final ResultHandler<Object> handler;
    final String description;
    final String jobGroup;
    final JobHandle handle;
    /** The submitting thread's local properties, captured at submission; seen by every task as {@link TaskContext#getLocalProperty}. */
    final Map<String, String> properties;
    final boolean[] finished;
    final Set<Stage> stages = new LinkedHashSet<>();
    int numFinished;
    /** Serialized result bytes of the job's tasks read so far, against {@code kindling.driver.maxResultSize}. */
    final java.util.concurrent.atomic.AtomicLong resultBytes = new java.util.concurrent.atomic.AtomicLong();
    /** Serialized results counted in {@link #resultBytes}. */
    final java.util.concurrent.atomic.AtomicInteger resultsCounted = new java.util.concurrent.atomic.AtomicInteger();
    Stage.Result finalStage;

    @SuppressWarnings("unchecked")
    ActiveJob(int jobId, Lineage rdd, int[] partitions, TaskFunction<?> function, ResultHandler<?> handler,
              String description, String jobGroup, Map<String, String> properties, JobHandle handle) {
        this.jobId = jobId;
        this.rdd = rdd;
        this.partitions = partitions;
        for (int i = 0; i < partitions.length; i++) {
            indexOfPartition.put(partitions[i], i);
        }
        this.function = (TaskFunction<Object>) function;
        this.handler = (ResultHandler<Object>) handler;
        this.description = description;
        this.jobGroup = jobGroup;
        this.handle = handle;
        this.properties = Map.copyOf(properties);
        this.finished = new boolean[partitions.length];
    }
}
