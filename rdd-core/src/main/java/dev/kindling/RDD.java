package dev.kindling;

import dev.kindling.internal.ContextInternals;
import dev.kindling.internal.rdd.CacheManager;
import dev.kindling.internal.rdd.CallSite;
import dev.kindling.internal.scheduler.TaskContextAccess;
import dev.kindling.internal.storage.block.BlockManager;
import dev.kindling.internal.rdd.ClosureChecker;
import dev.kindling.internal.util.Unchecked;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.Lineage;
import dev.kindling.scheduler.Partitioner;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.storage.StorageLevel;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A resilient distributed dataset: an immutable, partitioned collection that remembers how it was
 * derived (its lineage), so any partition can be recomputed. Transformations ({@link #map},
 * {@link #filter}, ...) are lazy and return new RDDs; actions ({@link #collect}, {@link #count},
 * ...) run a job. The operations are defined once, on {@link RDDLike} and {@link RDDActions}, and
 * shared with {@link PairRDD} (key/value operations) and {@link DoubleRDD} (numeric ones).
 *
 * <p>A subclass (a custom data source, say) provides:
 * <ol>
 *   <li>{@link #computeNumPartitions()}: how many partitions there are (called once);</li>
 *   <li>{@link #computeDependencies()}: its parents and how it depends on them;</li>
 *   <li>{@link #compute(int, TaskContext)}: the elements of one partition, lazily, as an iterator;
 *       it must be deterministic, since a partition may be recomputed after a failure;</li>
 *   <li>optionally {@link #partitioner()}: how keys are laid out, if known;</li>
 *   <li>optionally {@link #preferredLocations(int)}: the hosts holding a partition's input.</li>
 * </ol>
 * The public accessors built on these are final.
 *
 * <p>Thread safety: an RDD may be used from several threads at once; each action runs its own job.
 *
 * <p>Serialization: an RDD, its dependencies and its functions are {@link java.io.Serializable}, as
 * they travel to executors inside task descriptions; the context does not travel (it is transient),
 * so {@link #compute} must reach executor services (blocks, shuffle, serializer) through its task's
 * context, never through {@link #context()}, which is null in a deserialized copy. Serializing an
 * RDD first computes its partition count and dependencies on the driver, so an executor never
 * calls {@link #computeNumPartitions()} or {@link #computeDependencies()}.
 *
 * @param <T> element type
 */
public abstract class RDD<T> implements Lineage, RDDLike<T, RDD<T>>, java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** The driver's context; null in a copy deserialized for a task, which reaches executor services through its TaskContext. */
    private final transient KindlingContext context;
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

    /** This RDD itself: an RDD is its own {@link RDDLike} view. */
    @Override
    public final RDD<T> rdd() {
        return this;
    }

    /** Returns {@code rdd} itself: the plain RDD view of an RDD is the RDD. */
    @Override
    public final RDD<T> wrapRDD(RDD<T> rdd) {
        return rdd;
    }

    /** The context this RDD belongs to (on the driver; null in a copy deserialized for a task). */
    @Override
    public final KindlingContext context() {
        return context;
    }

    @Override
    public final int id() {
        return id;
    }

    /** Where this RDD was created, e.g. {@code "map at App.java:12"}. */
    @Override
    public final String creationSite() {
        return creationSite;
    }

    /** The name set with {@link #setName}, or null. */
    @Override
    public final String name() {
        return name;
    }

    /** Names this RDD (shown in {@link #toDebugString()} and in events); returns this. */
    @Override
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
    @Override
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
        if (storageLevel == StorageLevel.NONE) {
            return computeOrRead(partition, task);
        }
        return CacheManager.iterator(blockManagerFor(task), this, partition, task);
    }

    /** The block manager of the task's executor; the driver's outside a task. */
    private BlockManager blockManagerFor(TaskContext task) {
        if (task != null) {
            return TaskContextAccess.get().env(task).blockManager();
        }
        if (context == null) {
            throw new IllegalStateException("Persisted " + describe() + " was computed outside a task in a copy "
                    + "that has no context (a deserialized RDD); compute it inside a task");
        }
        return ContextInternals.of(context).blockManager();
    }

    /**
     * Computes the partition count and the dependencies before this node is serialized, so that a
     * deserialized copy never calls {@link #computeNumPartitions()} or {@link #computeDependencies()}
     * (which may need the driver's context).
     */
    private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
        numPartitions();
        dependencies();
        out.defaultWriteObject();
    }

    /** Computes a partition from lineage, bypassing any cache. For the storage layer. */
    @SuppressWarnings("unchecked")
    public final Iterator<T> computeOrRead(int partition, TaskContext task) throws Exception {
        if (checkpoint.isDone()) {
            return (Iterator<T>) checkpoint.read(this, partition, task == null
                    ? ContextInternals.of(context).serializer() : TaskContextAccess.get().env(task).serializer());
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
    @Override
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
    @Override
    public RDD<T> localCheckpoint() {
        if (storageLevel == StorageLevel.NONE) {
            persist(StorageLevel.MEMORY_AND_DISK);
        }
        checkpoint.request(CheckpointState.Kind.LOCAL);
        return this;
    }

    /** Whether this RDD was checkpointed (reliably or locally) and its lineage truncated. */
    @Override
    public boolean isCheckpointed() {
        return checkpoint.isDone();
    }

    /** The directory of this RDD's checkpoint files, once reliably checkpointed. */
    @Override
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
    @Override
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

    /** Like {@link #unpersist()}; {@code blocking} is accepted for Spark compatibility (removal is immediate). */
    @Override
    public RDD<T> unpersist(boolean blocking) {
        storageLevel = StorageLevel.NONE;
        context.registerPersistent(this, false);
        context.removeCachedBlocks(id);
        return this;
    }

    /** The storage level set by {@link #persist}, or {@link StorageLevel#NONE}. */
    @Override
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
    @Override
    public String toDebugString() {
        return DebugString.of(this);
    }

    // ---------------------------------------------------------------------------------------

    /** Fails now, with a readable message, if {@code f} could not be shipped to an executor. */
    protected final void checkClosure(Object f) {
        ClosureChecker.check(f, CallSite::capture);
    }

    static RuntimeException rethrow(Throwable t) {
        return Unchecked.rethrow(t);
    }
}
