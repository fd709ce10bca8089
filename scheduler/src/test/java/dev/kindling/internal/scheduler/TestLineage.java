package dev.kindling.internal.scheduler;

import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.HashPartitioner;
import dev.kindling.scheduler.Lineage;
import dev.kindling.scheduler.Partitioner;
import dev.kindling.scheduler.ShuffleDependency;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.internal.shuffle.RecordCursor;
import dev.kindling.internal.shuffle.ShuffleStore;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Minimal lineage nodes for scheduler tests: in-memory sources of integer key/value entries, and
 * shuffled nodes that read a shuffle back. Counts how often each partition is computed, and can be
 * told to throw from {@link #dependencies()} on chosen calls.
 */
public class TestLineage implements Lineage {

    private static final AtomicInteger IDS = new AtomicInteger();
    private static final AtomicInteger SHUFFLE_IDS = new AtomicInteger(1000);

    private final int id = IDS.incrementAndGet();
    private final int numPartitions;
    private final List<Dependency> dependencies;
    private final ComputeFunction compute;
    final AtomicInteger[] computed;
    /** Number of dependencies() calls so far; the call equal to {@link #failOnCall} throws. */
    final AtomicInteger dependencyCalls = new AtomicInteger();
    volatile int failOnCall = -1;

    /** How a node computes one partition. */
    interface ComputeFunction {
        Iterator<?> compute(int partition, TaskContext context) throws Exception;
    }

    TestLineage(int numPartitions, List<Dependency> dependencies, ComputeFunction compute) {
        this.numPartitions = numPartitions;
        this.dependencies = dependencies;
        this.compute = compute;
        this.computed = new AtomicInteger[numPartitions];
        for (int i = 0; i < numPartitions; i++) {
            computed[i] = new AtomicInteger();
        }
    }

    /** A source whose partition {@code p} holds entries (k, 1) for k in p*size .. p*size+size-1, keys mod {@code keys}. */
    public static TestLineage source(int partitions, int size, int keys) {
        return new TestLineage(partitions, List.of(), (p, ctx) -> {
            List<Map.Entry<Integer, Integer>> out = new ArrayList<>();
            for (int i = p * size; i < (p + 1) * size; i++) {
                out.add(new AbstractMap.SimpleEntry<>(i % keys, 1));
            }
            return out.iterator();
        });
    }

    /** A node reading, per reduce partition, every entry {@code parent} wrote to a new hash shuffle. */
    static TestLineage shuffled(TestLineage parent, ShuffleStore store, int reducers) {
        return shuffled(List.of(parent), store, reducers);
    }

    /** A node reading the concatenation of one new hash shuffle per parent (a cogroup, flattened). */
    static TestLineage shuffled(List<TestLineage> parents, ShuffleStore store, int reducers) {
        List<Dependency> deps = new ArrayList<>();
        for (TestLineage parent : parents) {
            deps.add(new ShuffleDependency(parent, SHUFFLE_IDS.incrementAndGet(), new HashPartitioner(reducers), null,
                    false, r -> ((Map.Entry<?, ?>) r).getKey(), r -> ((Map.Entry<?, ?>) r).getValue()));
        }
        return new TestLineage(reducers, deps, (p, ctx) -> {
            List<Map.Entry<Object, Object>> out = new ArrayList<>();
            for (Dependency d : deps) {
                ShuffleDependency s = (ShuffleDependency) d;
                RecordCursor cursor = store.reader(s.shuffleId(), p, s.parent().numPartitions());
                while (cursor.advance()) {
                    out.add(new AbstractMap.SimpleEntry<>(cursor.key(), cursor.value()));
                }
            }
            return out.iterator();
        });
    }

    /** The shuffle id of this node's {@code i}-th dependency. */
    int shuffleId(int i) {
        return ((ShuffleDependency) dependencies.get(i)).shuffleId();
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public int numPartitions() {
        return numPartitions;
    }

    @Override
    public List<Dependency> dependencies() {
        if (dependencyCalls.incrementAndGet() == failOnCall) {
            throw new IllegalStateException("dependencies() fails on call " + failOnCall + " of " + this);
        }
        return dependencies;
    }

    @Override
    public Optional<Partitioner> partitioner() {
        return Optional.empty();
    }

    @Override
    public Iterator<?> iterator(int partition, TaskContext context) throws Exception {
        computed[partition].incrementAndGet();
        return compute.compute(partition, context);
    }

    @Override
    public String describe() {
        return "TestLineage[" + id + "]";
    }

    /** Sum of the values of entries, as a result-task function. */
    static final TaskFunction<Long> SUM_VALUES = (ctx, it) -> {
        long sum = 0;
        while (it.hasNext()) {
            sum += ((Number) ((Map.Entry<?, ?>) it.next()).getValue()).longValue();
        }
        return sum;
    };
}
