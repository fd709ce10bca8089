package dev.kindling;

import dev.kindling.function.DoubleFlatMapFunction;
import dev.kindling.function.DoubleFunction;
import dev.kindling.function.FlatMapFunction;
import dev.kindling.function.FlatMapFunction2;
import dev.kindling.function.Function;
import dev.kindling.function.Function2;
import dev.kindling.function.PairFlatMapFunction;
import dev.kindling.function.PairFunction;
import dev.kindling.function.VoidFunction;
import dev.kindling.internal.io.ObjectFileRDD;
import dev.kindling.internal.rdd.CallSite;
import dev.kindling.internal.rdd.CartesianRDD;
import dev.kindling.internal.rdd.ClosureChecker;
import dev.kindling.internal.rdd.CoalescedRDD;
import dev.kindling.internal.rdd.Iterators;
import dev.kindling.internal.rdd.MapPartitionsRDD;
import dev.kindling.internal.rdd.Samplers;
import dev.kindling.internal.rdd.UnionRDD;
import dev.kindling.internal.util.Unchecked;
import dev.kindling.internal.rdd.ZippedPartitionsRDD;
import dev.kindling.internal.rdd.ZippedWithIndexRDD;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.Lineage;
import dev.kindling.scheduler.Partitioner;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.storage.StorageLevel;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * A resilient distributed dataset: an immutable, partitioned collection that remembers how it was
 * derived (its lineage), so any partition can be recomputed. Transformations ({@link #map},
 * {@link #filter}, ...) are lazy and return new RDDs; actions ({@link #collect}, {@link #count},
 * ...) run a job. Key/value operations live on {@link PairRDD}, numeric ones on {@link DoubleRDD}.
 *
 * <p>A subclass (a custom data source, say) provides:
 * <ol>
 *   <li>{@link #computeNumPartitions()}: how many partitions there are (called once);</li>
 *   <li>{@link #computeDependencies()}: its parents and how it depends on them;</li>
 *   <li>{@link #compute(int, TaskContext)}: the elements of one partition, lazily, as an iterator;
 *       it must be deterministic, since a partition may be recomputed after a failure;</li>
 *   <li>optionally {@link #partitioner()}: how keys are laid out, if known.</li>
 * </ol>
 * The public accessors built on these are final.
 *
 * <p>Thread safety: an RDD may be used from several threads at once; each action runs its own job.
 *
 * @param <T> element type
 */
public abstract class RDD<T> implements Lineage {

    private final KindlingContext context;
    private final int id;
    private final String creationSite;
    private volatile String name;
    private volatile Integer numPartitions;
    private volatile List<Dependency> dependencies;
    private volatile StorageLevel storageLevel = StorageLevel.NONE;
    private volatile boolean lineagePrepared;
    private final CheckpointState checkpoint = new CheckpointState();

    /** Creates a node belonging to {@code context}; captures the user's call site for its name. */
    protected RDD(KindlingContext context) {
        NestedRddOperationException.checkDriver("creating", getClass());
        this.context = Objects.requireNonNull(context, "context");
        this.id = context.newRddId();
        this.creationSite = CallSite.capture();
    }

    // ---------------------------------------------------------------------------------------
    // The contract
    // ---------------------------------------------------------------------------------------

    /** Returns the number of partitions; called at most once per RDD. */
    protected abstract int computeNumPartitions();

    /** Returns this RDD's dependencies on its parents; called at most once per RDD. */
    protected abstract List<Dependency> computeDependencies();

    /**
     * Computes the elements of {@code partition} lazily; runs on an executor thread. {@code task} is
     * the running task attempt (metrics, completion listeners); the RDD's context is {@link #context()}.
     */
    protected abstract Iterator<T> compute(int partition, TaskContext task) throws Exception;

    /** How keys of this (key/value) RDD are laid out, if known; empty by default. */
    @Override
    public Optional<Partitioner> partitioner() {
        return Optional.empty();
    }

    /**
     * Driver-side preparation run before any job that computes this RDD, on the thread that
     * submits the job (sorting samples its keys here). Must be idempotent. Default: prepare the
     * partitioner.
     */
    protected void prepareForJob() throws Exception {
        for (Dependency dep : dependencies()) {
            if (dep instanceof dev.kindling.scheduler.ShuffleDependency s) {
                s.partitioner().prepare();
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Final accessors
    // ---------------------------------------------------------------------------------------

    /** The context this RDD belongs to. */
    public final KindlingContext context() {
        return context;
    }

    @Override
    public final int id() {
        return id;
    }

    /** Where this RDD was created, e.g. {@code "map at App.java:12"}. */
    public final String creationSite() {
        return creationSite;
    }

    /** The name set with {@link #setName}, or null. */
    public final String name() {
        return name;
    }

    /** Names this RDD (shown in {@link #toDebugString()} and in events); returns this. */
    public RDD<T> setName(String name) {
        this.name = name;
        return this;
    }

    @Override
    public final int numPartitions() {
        Integer n = numPartitions;
        if (n == null) {
            synchronized (this) {
                n = numPartitions;
                if (n == null) {
                    n = computeNumPartitions();
                    if (n < 0) {
                        throw new IllegalStateException(getClass().getName() + ".computeNumPartitions() returned " + n
                                + " for " + describe() + "; it must be at least 0");
                    }
                    numPartitions = n;
                }
            }
        }
        return n;
    }

    /** Number of partitions, as Spark's Java API names it. */
    public final int getNumPartitions() {
        return numPartitions();
    }

    @Override
    public final List<Dependency> dependencies() {
        if (checkpoint.isDone()) {
            return List.of();
        }
        List<Dependency> deps = dependencies;
        if (deps == null) {
            synchronized (this) {
                deps = dependencies;
                if (deps == null) {
                    deps = List.copyOf(computeDependencies());
                    dependencies = deps;
                }
            }
        }
        return deps;
    }

    /**
     * Returns the elements of a partition: read from the cache when persisted, otherwise computed.
     * Used by tasks; call it only from inside a task.
     */
    @Override
    public final Iterator<T> iterator(int partition, TaskContext task) throws Exception {
        return context.cacheManager().iterator(this, partition, task);
    }

    /** Computes a partition from lineage, bypassing any cache. For the storage layer. */
    @SuppressWarnings("unchecked")
    public final Iterator<T> computeOrRead(int partition, TaskContext task) throws Exception {
        if (checkpoint.isDone()) {
            return (Iterator<T>) checkpoint.read(this, partition);
        }
        return compute(partition, task);
    }

    // ---------------------------------------------------------------------------------------
    // Checkpointing
    // ---------------------------------------------------------------------------------------

    /**
     * Marks this RDD to be saved to files under the context's checkpoint directory by the first job
     * that computes it (right after that job finishes; persist it first to avoid computing it
     * twice). Afterwards its lineage is truncated: {@link #dependencies()} is empty and partitions
     * are read from the files. Fails if {@link KindlingContext#setCheckpointDir} was not called.
     */
    public void checkpoint() {
        if (context.getCheckpointDir().isEmpty()) {
            throw new IllegalStateException("Checkpoint directory has not been set in the KindlingContext; call"
                    + " kc.setCheckpointDir(dir) before checkpointing " + describe());
        }
        checkpoint.request(CheckpointState.Kind.RELIABLE);
    }

    /**
     * Truncates this RDD's lineage after the next job, keeping its partitions in the block manager
     * (persisted at {@link StorageLevel#MEMORY_AND_DISK} unless already persisted). Faster than
     * {@link #checkpoint()} but not fault-tolerant: a lost block cannot be recomputed.
     */
    public RDD<T> localCheckpoint() {
        if (storageLevel == StorageLevel.NONE) {
            persist(StorageLevel.MEMORY_AND_DISK);
        }
        checkpoint.request(CheckpointState.Kind.LOCAL);
        return this;
    }

    /** Whether this RDD was checkpointed (reliably or locally) and its lineage truncated. */
    public boolean isCheckpointed() {
        return checkpoint.isDone();
    }

    /** The directory of this RDD's checkpoint files, once reliably checkpointed. */
    public Optional<String> getCheckpointFile() {
        return checkpoint.file();
    }

    /** Called by the context after a job: writes this RDD's checkpoint if one was asked for and not started. */
    final void doCheckpoint() {
        if (checkpoint.write(this)) {
            synchronized (this) {
                dependencies = List.of();
            }
        }
    }

    final boolean checkpointPending() {
        return checkpoint.isPending();
    }

    /** Runs {@link #prepareForJob()}; for the context, which calls it over a job's lineage. */
    final void prepare() throws Exception {
        prepareForJob();
    }

    final boolean isLineagePrepared() {
        return lineagePrepared;
    }

    final void markLineagePrepared() {
        lineagePrepared = true;
    }

    // ---------------------------------------------------------------------------------------
    // Persistence
    // ---------------------------------------------------------------------------------------

    /**
     * Keeps this RDD's partitions at {@code level} once a job computes them, so later jobs read
     * them instead of recomputing. Lazy: nothing is computed now. Changing the level of an RDD
     * that already has one is an error (unpersist first).
     */
    public RDD<T> persist(StorageLevel level) {
        Objects.requireNonNull(level, "level");
        StorageLevel current = storageLevel;
        if (current != StorageLevel.NONE && current != level) {
            throw new UnsupportedOperationException("Cannot change the storage level of " + describe() + " from "
                    + current + " to " + level + " after it was set; call unpersist() first");
        }
        storageLevel = level;
        context.registerPersistent(this, level != StorageLevel.NONE);
        return this;
    }

    /** {@link #persist(StorageLevel)} at {@link StorageLevel#MEMORY_ONLY}. */
    public RDD<T> cache() {
        return persist(StorageLevel.MEMORY_ONLY);
    }

    /** Drops the cached partitions and the storage level; they are recomputed from lineage when needed. */
    public RDD<T> unpersist() {
        return unpersist(true);
    }

    /** Like {@link #unpersist()}; {@code blocking} is accepted for Spark compatibility (removal is immediate). */
    public RDD<T> unpersist(boolean blocking) {
        storageLevel = StorageLevel.NONE;
        context.registerPersistent(this, false);
        context.cacheManager().remove(id);
        return this;
    }

    /** The storage level set by {@link #persist}, or {@link StorageLevel#NONE}. */
    public StorageLevel getStorageLevel() {
        return storageLevel;
    }

    /** Storage level and cached partitions, for {@link #toDebugString()}; empty when not persisted. */
    String storageDescription() {
        if (storageLevel == StorageLevel.NONE) {
            return "";
        }
        return storageLevel + ", " + context.cacheManager().cachedPartitions(id) + "/" + numPartitions() + " partitions cached";
    }

    @Override
    public String describe() {
        return (name == null ? "" : name + " ") + getClass().getSimpleName() + "[" + id + "] at " + creationSite;
    }

    @Override
    public String toString() {
        return describe();
    }

    /** Prints this RDD's lineage, with indentation marking each shuffle (stage) boundary, like Spark. */
    public String toDebugString() {
        return DebugString.of(this);
    }

    // ---------------------------------------------------------------------------------------
    // Transformations
    // ---------------------------------------------------------------------------------------

    /** Returns an RDD of {@code f} applied to each element. */
    public <R> RDD<R> map(Function<T, R> f) {
        checkClosure(f);
        return new MapPartitionsRDD<>(this, (ctx, p, it) -> Iterators.map(it, f), false);
    }

    /** Returns the elements for which {@code f} is true; keeps the partitioner. */
    public RDD<T> filter(Function<T, Boolean> f) {
        checkClosure(f);
        return new MapPartitionsRDD<>(this, (ctx, p, it) -> Iterators.filter(it, f), true);
    }

    /** Returns the concatenation of the iterators {@code f} returns for each element. */
    public <R> RDD<R> flatMap(FlatMapFunction<T, R> f) {
        checkClosure(f);
        return new MapPartitionsRDD<>(this, (ctx, p, it) -> Iterators.flatMap(it, f), false);
    }

    /** Applies {@code f} to each partition's iterator; {@code f} should return a lazy iterator. */
    public <R> RDD<R> mapPartitions(FlatMapFunction<Iterator<T>, R> f) {
        return mapPartitions(f, false);
    }

    /** Like {@link #mapPartitions(FlatMapFunction)}, keeping the partitioner if {@code preservesPartitioning}. */
    public <R> RDD<R> mapPartitions(FlatMapFunction<Iterator<T>, R> f, boolean preservesPartitioning) {
        checkClosure(f);
        return new MapPartitionsRDD<>(this, (ctx, p, it) -> f.call(it), preservesPartitioning);
    }

    /** Applies {@code f} to each partition's index and iterator. */
    public <R> RDD<R> mapPartitionsWithIndex(Function2<Integer, Iterator<T>, Iterator<R>> f,
                                             boolean preservesPartitioning) {
        checkClosure(f);
        return new MapPartitionsRDD<>(this, (ctx, p, it) -> f.call(p, it), preservesPartitioning);
    }

    /** Returns a pair RDD of {@code f} applied to each element. */
    public <K, V> PairRDD<K, V> mapToPair(PairFunction<T, K, V> f) {
        checkClosure(f);
        return new PairRDD<>(new MapPartitionsRDD<T, Pair<K, V>>(this, (ctx, p, it) -> Iterators.map(it, f::call), false));
    }

    /** Returns a pair RDD of all pairs {@code f} returns for each element. */
    public <K, V> PairRDD<K, V> flatMapToPair(PairFlatMapFunction<T, K, V> f) {
        checkClosure(f);
        return new PairRDD<>(new MapPartitionsRDD<T, Pair<K, V>>(this, (ctx, p, it) -> Iterators.flatMap(it, f::call), false));
    }

    /** Returns a {@link DoubleRDD} of {@code f} applied to each element. */
    public DoubleRDD mapToDouble(DoubleFunction<T> f) {
        checkClosure(f);
        return new DoubleRDD(new MapPartitionsRDD<T, Double>(this, (ctx, p, it) -> Iterators.map(it, f::call), false));
    }

    /** Returns a {@link DoubleRDD} of all doubles {@code f} returns for each element (Spark's {@code flatMapToDouble}). */
    public DoubleRDD flatMapToDouble(DoubleFlatMapFunction<T> f) {
        checkClosure(f);
        return new DoubleRDD(new MapPartitionsRDD<T, Double>(this, (ctx, p, it) -> Iterators.flatMap(it, f::call), false));
    }

    /** Applies {@code f} to each partition's iterator, giving a pair RDD of the pairs it returns; the partitioner is dropped. */
    public <K, V> PairRDD<K, V> mapPartitionsToPair(PairFlatMapFunction<Iterator<T>, K, V> f) {
        return mapPartitionsToPair(f, false);
    }

    /** Like {@link #mapPartitionsToPair(PairFlatMapFunction)}, keeping the partitioner if {@code preservesPartitioning}. */
    public <K, V> PairRDD<K, V> mapPartitionsToPair(PairFlatMapFunction<Iterator<T>, K, V> f, boolean preservesPartitioning) {
        checkClosure(f);
        return new PairRDD<>(new MapPartitionsRDD<T, Pair<K, V>>(this, (ctx, p, it) -> f.call(it), preservesPartitioning));
    }

    /** Applies {@code f} to each partition's iterator, giving a {@link DoubleRDD} of the doubles it returns. */
    public DoubleRDD mapPartitionsToDouble(DoubleFlatMapFunction<Iterator<T>> f) {
        return mapPartitionsToDouble(f, false);
    }

    /** Like {@link #mapPartitionsToDouble(DoubleFlatMapFunction)}, keeping the partitioner if {@code preservesPartitioning}. */
    public DoubleRDD mapPartitionsToDouble(DoubleFlatMapFunction<Iterator<T>> f, boolean preservesPartitioning) {
        checkClosure(f);
        return new DoubleRDD(new MapPartitionsRDD<T, Double>(this, (ctx, p, it) -> f.call(it), preservesPartitioning));
    }

    /** Pairs each element with the key {@code f} computes: {@code (f(x), x)}. */
    public <K> PairRDD<K, T> keyBy(Function<T, K> f) {
        checkClosure(f);
        return new PairRDD<>(new MapPartitionsRDD<T, Pair<K, T>>(this,
                (ctx, p, it) -> Iterators.map(it, x -> new Pair<>(f.call(x), x)), false));
    }

    /** Turns each partition into one list of its elements. */
    public RDD<List<T>> glom() {
        return Transformations.glom(this);
    }

    /** Returns the distinct elements, with as many partitions as this RDD (none for an RDD without partitions). */
    public RDD<T> distinct() {
        return distinct(numPartitions());
    }

    /** Returns the distinct elements in {@code numPartitions} partitions. */
    public RDD<T> distinct(int numPartitions) {
        return this.<T, Object>mapToPair(x -> new Pair<>(x, null)).reduceByKey((a, b) -> a, numPartitions).keys();
    }

    /**
     * Concatenates this RDD's partitions and {@code other}'s; duplicates are kept. When both have
     * the same partitioner, partition i is the union of their partitions i and the partitioner is kept.
     */
    public RDD<T> union(RDD<T> other) {
        return UnionRDD.of(context, List.of(this, other));
    }

    /** Returns the elements present in both RDDs, without duplicates. */
    public RDD<T> intersection(RDD<T> other) {
        return intersection(other, Math.max(1, Math.max(numPartitions(), other.numPartitions())));
    }

    /** Returns the elements present in both RDDs, without duplicates, in {@code numPartitions} partitions. */
    public RDD<T> intersection(RDD<T> other, int numPartitions) {
        return Transformations.intersection(this, other, numPartitions);
    }

    /** Returns the elements of this RDD that are not in {@code other}; duplicates on this side are kept. */
    public RDD<T> subtract(RDD<T> other) {
        return subtract(other, Math.max(1, numPartitions()));
    }

    /** Like {@link #subtract(RDD)}, in {@code numPartitions} partitions. */
    public RDD<T> subtract(RDD<T> other, int numPartitions) {
        return Transformations.subtract(this, other, numPartitions);
    }

    /** All pairs {@code (a, b)} with {@code a} from this RDD and {@code b} from {@code other}. */
    public <U> PairRDD<T, U> cartesian(RDD<U> other) {
        return new PairRDD<>(new CartesianRDD<>(this, other));
    }

    /**
     * Pairs the i-th element of each partition with the i-th element of the same partition of
     * {@code other}. Both must have the same number of partitions (checked now) and of elements in
     * each partition (checked when the job runs).
     */
    public <U> PairRDD<T, U> zip(RDD<U> other) {
        // A static helper: an anonymous iterator here would capture this RDD and fail the closure check.
        return new PairRDD<>(zipPartitions(other, Iterators::zip));
    }

    /** Applies {@code f} to the iterators of the same partition of both RDDs. */
    public <U, R> RDD<R> zipPartitions(RDD<U> other, FlatMapFunction2<Iterator<T>, Iterator<U>, R> f) {
        checkClosure(f);
        return new ZippedPartitionsRDD<>(this, other, f);
    }

    /**
     * Pairs each element with its index in the RDD's order (partition by partition). Runs a job
     * counting partitions 0..n-2 when the first action needs it, not at declaration.
     */
    public PairRDD<T, Long> zipWithIndex() {
        return new PairRDD<>(new ZippedWithIndexRDD<>(this));
    }

    /** Pairs each element with a unique id: the k-th element of partition i gets {@code k * n + i}. No job. */
    public PairRDD<T, Long> zipWithUniqueId() {
        return Transformations.zipWithUniqueId(this);
    }

    /** A random sample; {@code fraction} is the expected share (without replacement) or count per element (with). */
    public RDD<T> sample(boolean withReplacement, double fraction) {
        return sample(withReplacement, fraction, new Random().nextLong());
    }

    /** A random sample, reproducible for a given {@code seed}. */
    public RDD<T> sample(boolean withReplacement, double fraction, long seed) {
        Samplers.checkFraction(withReplacement, fraction);
        return new MapPartitionsRDD<>(this,
                (ctx, p, it) -> Samplers.sample(it, withReplacement, fraction, seed + p), true);
    }

    /** Splits this RDD randomly by {@code weights} (normalised); every element lands in exactly one split. */
    public List<RDD<T>> randomSplit(double[] weights) {
        return randomSplit(weights, new Random().nextLong());
    }

    /** Splits this RDD randomly by {@code weights}, reproducibly for a given {@code seed}. */
    public List<RDD<T>> randomSplit(double[] weights, long seed) {
        return Transformations.randomSplit(this, weights, seed);
    }

    /** Sorts by the key {@code f} computes, ascending or not, in {@code numPartitions} partitions. */
    public <K> RDD<T> sortBy(Function<T, K> f, boolean ascending, int numPartitions) {
        return keyBy(f).sortByKey(ascending, numPartitions).values();
    }

    /** Groups elements by the key {@code f} computes. */
    public <K> PairRDD<K, Iterable<T>> groupBy(Function<T, K> f) {
        return keyBy(f).groupByKey();
    }

    /** Groups elements by the key {@code f} computes, in {@code numPartitions} partitions. */
    public <K> PairRDD<K, Iterable<T>> groupBy(Function<T, K> f, int numPartitions) {
        return keyBy(f).groupByKey(numPartitions);
    }

    /** Reduces the partition count without a shuffle by merging neighbouring partitions; never increases it. */
    public RDD<T> coalesce(int numPartitions) {
        return coalesce(numPartitions, false);
    }

    /** Changes the partition count; with {@code shuffle} it may grow and the data is rebalanced. */
    public RDD<T> coalesce(int numPartitions, boolean shuffle) {
        if (numPartitions < 1) {
            throw new IllegalArgumentException("coalesce needs at least 1 partition (got " + numPartitions + ")");
        }
        if (!shuffle) {
            return new CoalescedRDD<>(this, numPartitions);
        }
        return Transformations.coalesceWithShuffle(this, numPartitions);
    }

    /** Rebalances into exactly {@code numPartitions} partitions with a shuffle. */
    public RDD<T> repartition(int numPartitions) {
        return coalesce(numPartitions, true);
    }

    // ---------------------------------------------------------------------------------------
    // Actions
    // ---------------------------------------------------------------------------------------

    /** Returns all elements, in partition order. Everything must fit in the driver's memory. */
    public List<T> collect() {
        return Actions.collect(this);
    }

    /** Number of elements. */
    public long count() {
        return Actions.count(this);
    }

    /** The first element; {@link UnsupportedOperationException} ("empty collection") on an empty RDD. */
    public T first() {
        List<T> one = take(1);
        if (one.isEmpty()) {
            throw new UnsupportedOperationException("empty collection");
        }
        return one.get(0);
    }

    /** The first {@code n} elements, scanning as few partitions as possible (Spark's growth rule); empty when {@code n <= 0}. */
    public List<T> take(int n) {
        return Actions.take(this, n);
    }

    /** The {@code n} smallest elements by natural order, sorted. */
    @SuppressWarnings("unchecked")
    public List<T> takeOrdered(int n) {
        return takeOrdered(n, (Comparator<T>) Comparator.naturalOrder());
    }

    /** The {@code n} smallest elements by {@code comparator}, sorted. */
    public List<T> takeOrdered(int n, Comparator<T> comparator) {
        checkClosure(comparator);
        return Actions.takeOrdered(this, n, comparator);
    }

    /** The {@code n} largest elements by natural order, largest first. */
    @SuppressWarnings("unchecked")
    public List<T> top(int n) {
        return top(n, (Comparator<T>) Comparator.naturalOrder());
    }

    /** The {@code n} largest elements by {@code comparator}, largest first. */
    public List<T> top(int n, Comparator<T> comparator) {
        checkClosure(comparator);
        return Actions.takeOrdered(this, n, comparator.reversed());
    }

    /** A random sample of exactly {@code num} elements (fewer if the RDD is smaller, without replacement). */
    public List<T> takeSample(boolean withReplacement, int num) {
        return takeSample(withReplacement, num, new Random().nextLong());
    }

    /** Like {@link #takeSample(boolean, int)}, reproducible for a given {@code seed}. */
    public List<T> takeSample(boolean withReplacement, int num, long seed) {
        return Actions.takeSample(this, withReplacement, num, seed);
    }

    /** Combines all elements with an associative, commutative {@code f}; throws on an empty RDD. */
    public T reduce(Function2<T, T, T> f) {
        checkClosure(f);
        return Actions.reduce(this, f);
    }

    /** Like {@link #reduce}, combining partition results in a tree of depth 2. */
    public T treeReduce(Function2<T, T, T> f) {
        return treeReduce(f, 2);
    }

    /** Like {@link #reduce}, combining partition results in a tree of the given depth. */
    public T treeReduce(Function2<T, T, T> f, int depth) {
        checkClosure(f);
        return Actions.treeReduce(this, f, depth);
    }

    /** Folds each partition from a copy of {@code zero}, then the partition results from another copy. */
    public T fold(T zero, Function2<T, T, T> f) {
        checkClosure(f);
        return Actions.aggregate(this, zero, f, f);
    }

    /** Aggregates each partition with {@code seqOp} from a copy of {@code zero}, then merges with {@code combOp}. */
    public <U> U aggregate(U zero, Function2<U, T, U> seqOp, Function2<U, U, U> combOp) {
        checkClosure(seqOp);
        checkClosure(combOp);
        return Actions.aggregate(this, zero, seqOp, combOp);
    }

    /** Like {@link #aggregate}, merging partition results in a tree of depth 2. */
    public <U> U treeAggregate(U zero, Function2<U, T, U> seqOp, Function2<U, U, U> combOp) {
        return treeAggregate(zero, seqOp, combOp, 2);
    }

    /**
     * Like {@link #aggregate}, merging partition results in a tree of the given depth; with too few
     * partitions for a tree level (as Spark decides it), it runs as one {@link #aggregate} job.
     */
    public <U> U treeAggregate(U zero, Function2<U, T, U> seqOp, Function2<U, U, U> combOp, int depth) {
        checkClosure(seqOp);
        checkClosure(combOp);
        return Actions.treeAggregate(this, zero, seqOp, combOp, depth);
    }

    /** Applies {@code f} to each element on the executors. */
    public void foreach(VoidFunction<T> f) {
        checkClosure(f);
        Actions.foreach(this, f);
    }

    /** {@link #count()} run asynchronously: a future that {@link FutureAction#cancel cancels} the job (Spark's {@code countAsync}). */
    public FutureAction<Long> countAsync() {
        return FutureAction.start("countAsync", this::count);
    }

    /** {@link #collect()} run asynchronously, as Spark's {@code collectAsync}; see {@link FutureAction}. */
    public FutureAction<List<T>> collectAsync() {
        return FutureAction.start("collectAsync", this::collect);
    }

    /** {@link #take(int)} run asynchronously (its jobs, one after another), as Spark's {@code takeAsync}. */
    public FutureAction<List<T>> takeAsync(int n) {
        return FutureAction.start("takeAsync", () -> take(n));
    }

    /** {@link #foreach} run asynchronously, as Spark's {@code foreachAsync}; the future's value is null. */
    public FutureAction<Void> foreachAsync(VoidFunction<T> f) {
        checkClosure(f);
        return FutureAction.start("foreachAsync", () -> {
            foreach(f);
            return null;
        });
    }

    /** Applies {@code f} to each partition's iterator on the executors. */
    public void foreachPartition(VoidFunction<Iterator<T>> f) {
        checkClosure(f);
        Actions.foreachPartition(this, f);
    }

    /** Counts each distinct element. */
    public Map<T, Long> countByValue() {
        return this.<T, Object>mapToPair(x -> new Pair<>(x, null)).countByKey();
    }

    /** Iterates over all elements, running one job per partition as the iterator advances. */
    public Iterator<T> toLocalIterator() {
        return Actions.toLocalIterator(this);
    }

    /** Whether the RDD has no element; scans only as much as needed. */
    public boolean isEmpty() {
        return numPartitions() == 0 || take(1).isEmpty();
    }

    /** The smallest element by {@code comparator}; throws on an empty RDD. */
    public T min(Comparator<T> comparator) {
        checkClosure(comparator);
        return reduce((a, b) -> comparator.compare(a, b) <= 0 ? a : b);
    }

    /** The largest element by {@code comparator}; throws on an empty RDD. */
    public T max(Comparator<T> comparator) {
        checkClosure(comparator);
        return reduce((a, b) -> comparator.compare(a, b) >= 0 ? a : b);
    }

    /**
     * Writes each element's {@code toString()} as a line into {@code part-NNNNN} files under {@code path},
     * then {@code _SUCCESS} (see {@link dev.kindling.internal.io.TextOutput} for the commit protocol).
     *
     * @throws IllegalStateException if {@code path} exists (unless {@value KindlingConf#OUTPUT_OVERWRITE})
     *         or another job is writing it
     * @throws IllegalArgumentException if {@code path} is empty or overwriting it is refused
     *         (see {@link dev.kindling.internal.io.OutputGuard})
     */
    public void saveAsTextFile(String path) {
        context.textOutput().save(this, path, null);
    }

    /** Like {@link #saveAsTextFile(String)}, compressed with {@code codec} ({@code "gzip"}). */
    public void saveAsTextFile(String path, String codec) {
        context.textOutput().save(this, path, codec);
    }

    /**
     * Saves the elements as Kryo-serialized batches in {@code part-NNNNN} files under {@code path}
     * (same commit protocol as {@link #saveAsTextFile}); read them back with
     * {@link KindlingContext#objectFile(String)}.
     */
    public void saveAsObjectFile(String path) {
        ObjectFileRDD.save(context.textOutput(), this, path);
    }

    /**
     * Pipes each partition through an external command, Spark's {@code pipe}: the command string is
     * split on whitespace (no shell, no quoting), one process runs per partition attempt (even for an
     * empty partition), elements are written to its stdin one per line ({@code toString()}, UTF-8)
     * from a separate thread, and each stdout line becomes an element. A non-zero exit fails the
     * task with the command, the status and the last stderr lines. Hadoop Streaming's
     * {@code reporter:status:} stderr lines set the task status; other stderr lines are logged.
     */
    public RDD<String> pipe(String command) {
        return pipe(dev.kindling.internal.io.Pipe.splitOnWhitespace(command), Map.of(), null);
    }

    /** Like {@link #pipe(String)}, with {@code env} added to the inherited environment. */
    public RDD<String> pipe(String command, Map<String, String> env) {
        return pipe(dev.kindling.internal.io.Pipe.splitOnWhitespace(command), env, null);
    }

    /** Like {@link #pipe(String)}, with the program and its arguments given as a list (used as is). */
    public RDD<String> pipe(List<String> command) {
        return pipe(command, Map.of(), null);
    }

    /** Like {@link #pipe(List)}, with {@code env} added to the inherited environment. */
    public RDD<String> pipe(List<String> command, Map<String, String> env) {
        return pipe(command, env, null);
    }

    /**
     * Like {@link #pipe(String, Map)}, also collecting Hadoop Streaming counters
     * ({@code reporter:counter:group,counter,amount} stderr lines) into {@code counters}, counted
     * from successful attempts only.
     */
    public RDD<String> pipe(String command, Map<String, String> env, StreamingCounters counters) {
        return pipe(dev.kindling.internal.io.Pipe.splitOnWhitespace(command), env, counters);
    }

    /** Like {@link #pipe(String, Map, StreamingCounters)}, with the command as a list. */
    public RDD<String> pipe(List<String> command, Map<String, String> env, StreamingCounters counters) {
        return dev.kindling.internal.io.Pipe.create(this, command, env, counters);
    }

    // ---------------------------------------------------------------------------------------

    /** Fails now, with a readable message, if {@code f} could not be shipped to an executor. */
    protected final void checkClosure(Object f) {
        ClosureChecker.check(f, CallSite.capture());
    }

    static RuntimeException rethrow(Throwable t) {
        return Unchecked.rethrow(t);
    }
}
