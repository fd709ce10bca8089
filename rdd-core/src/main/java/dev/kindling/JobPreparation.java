package dev.kindling;

import dev.kindling.scheduler.Dependency;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The driver-side walks over a job's lineage that {@link KindlingContext} runs around each job:
 * before it, {@link RDD#prepareForJob()} on every RDD not yet prepared (ancestors first); after
 * it, the checkpoints the lineage asked for.
 */
final class JobPreparation {

    private JobPreparation() {
    }

    /**
     * Prepares every RDD in the lineage of {@code root} that was not prepared before, ancestors
     * first so that a preparation job (e.g. sampling) finds its own lineage ready, then marks them
     * prepared. A checked failure is wrapped in an {@link IllegalStateException} naming the RDD.
     */
    static void prepareLineage(RDD<?> root) {
        Deque<RDD<?>> todo = new ArrayDeque<>();
        Set<Integer> seen = new HashSet<>();
        List<RDD<?>> order = new ArrayList<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            RDD<?> rdd = todo.pop();
            if (!seen.add(rdd.id()) || rdd.isLineagePrepared()) {
                continue;
            }
            order.add(rdd);
            for (Dependency dep : rdd.dependencies()) {
                if (dep.parent() instanceof RDD<?> parent) {
                    todo.push(parent);
                }
            }
        }
        // Ancestors first, so a preparation job (e.g. sampling) finds its own lineage ready.
        for (int i = order.size() - 1; i >= 0; i--) {
            try {
                order.get(i).prepare();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("Preparing " + order.get(i) + " for a job failed: " + e, e);
            }
        }
        for (RDD<?> rdd : order) {
            rdd.markLineagePrepared();
        }
    }

    /**
     * Writes the checkpoints that the lineage of a finished job's RDD asked for. Walks down from
     * {@code root} and stops at RDDs already checkpointed, as Spark does.
     */
    static void checkpointLineage(RDD<?> root) {
        Deque<RDD<?>> todo = new ArrayDeque<>();
        Set<Integer> seen = new HashSet<>();
        List<RDD<?>> pending = new ArrayList<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            RDD<?> rdd = todo.pop();
            if (!seen.add(rdd.id()) || rdd.isCheckpointed()) {
                continue;
            }
            if (rdd.checkpointPending()) {
                pending.add(rdd);
                continue;
            }
            for (Dependency dep : rdd.dependencies()) {
                if (dep.parent() instanceof RDD<?> parent) {
                    todo.push(parent);
                }
            }
        }
        for (RDD<?> rdd : pending) {
            rdd.doCheckpoint();
        }
    }
}
