package dev.kindling.scheduler;

import dev.kindling.internal.scheduler.TaskClosure;
import java.util.Objects;
import java.util.Optional;

/**
 * A dependency that needs every parent partition: the parent's records are hash- or
 * range-partitioned by key into buckets by a shuffle-map stage, and each child partition reads its
 * bucket from every map output. A stage boundary.
 *
 * <p>The scheduler stays ignorant of the record type: {@code keyOf} and {@code valueOf} pull the key
 * and value out of a parent record.
 */
public final class ShuffleDependency implements Dependency {

    private static final long serialVersionUID = 1L;

    /**
     * Pulls the key or the value out of a parent record. Serializable, as it travels to executors
     * with the dependency; a lambda given where one is expected is serializable.
     */
    @FunctionalInterface
    public interface Extractor extends java.io.Serializable {
        /** The key (or value) of {@code record}. */
        Object apply(Object record);
    }

    private final Lineage parent;
    private final int shuffleId;
    private final Partitioner partitioner;
    private final Aggregator<Object, Object> aggregator;
    private final TaskClosure<Aggregator<Object, Object>> aggregatorCopies;
    private final boolean mapSideCombine;
    private final Extractor keyOf;
    private final Extractor valueOf;

    /**
     * Creates a shuffle dependency.
     *
     * @param aggregator     null for a plain (non-combining) shuffle
     * @param mapSideCombine whether map tasks combine values per key before writing
     */
    @SuppressWarnings("unchecked")
    public ShuffleDependency(Lineage parent, int shuffleId, Partitioner partitioner,
                             Aggregator<?, ?> aggregator, boolean mapSideCombine,
                             Extractor keyOf, Extractor valueOf) {
        this.parent = Objects.requireNonNull(parent, "parent");
        this.shuffleId = shuffleId;
        this.partitioner = Objects.requireNonNull(partitioner, "partitioner");
        this.aggregator = (Aggregator<Object, Object>) aggregator;
        this.aggregatorCopies = aggregator == null ? null : TaskClosure.perJob(this.aggregator);
        if (mapSideCombine && aggregator == null) {
            throw new IllegalArgumentException("mapSideCombine requires an aggregator (got null)");
        }
        this.mapSideCombine = mapSideCombine;
        this.keyOf = Objects.requireNonNull(keyOf, "keyOf");
        this.valueOf = Objects.requireNonNull(valueOf, "valueOf");
    }

    @Override
    public Lineage parent() {
        return parent;
    }

    /** Identifier of the shuffle's output in the shuffle store. */
    public int shuffleId() {
        return shuffleId;
    }

    /** How keys are assigned to reduce partitions. */
    public Partitioner partitioner() {
        return partitioner;
    }

    /** The combining functions, if this shuffle aggregates. */
    public Optional<Aggregator<Object, Object>> aggregator() {
        return Optional.ofNullable(aggregator);
    }

    /**
     * The combining functions as the task attempt {@code context} should call them: its own
     * deserialized copy (see {@link TaskClosure}); empty if this shuffle does not aggregate.
     */
    public Optional<Aggregator<Object, Object>> aggregator(TaskContext context) {
        return aggregatorCopies == null ? Optional.empty() : Optional.of(aggregatorCopies.get(context));
    }

    /** Whether map tasks combine values per key before writing. */
    public boolean mapSideCombine() {
        return mapSideCombine;
    }

    /** Extracts the key of a parent record. */
    public Object keyOf(Object record) {
        return keyOf.apply(record);
    }

    /** Extracts the value of a parent record. */
    public Object valueOf(Object record) {
        return valueOf.apply(record);
    }
}
