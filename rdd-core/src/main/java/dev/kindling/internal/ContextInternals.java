package dev.kindling.internal;

import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.internal.scheduler.DAGScheduler;
import dev.kindling.internal.scheduler.OutputCommitCoordinator;
import dev.kindling.internal.storage.memory.MemoryManager;
import dev.kindling.internal.storage.serializer.KryoSerializer;
import dev.kindling.scheduler.Partitioner;
import dev.kindling.internal.storage.block.BlockManager;
import dev.kindling.internal.shuffle.ShuffleStore;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The parts of a {@link KindlingContext} that Kindling's own RDDs, writers, tools and tests use and
 * a user never needs: its scheduler, shuffle and block stores, shuffle ids and internal jobs. They
 * are kept off {@code KindlingContext} so its public surface (and the shell's tab completion) shows
 * only the API. Get them with {@link #of(KindlingContext)}.
 *
 * <p><b>Not a part of the public API</b>: this class can change or disappear without notice.
 */
public abstract class ContextInternals {

    private static volatile Function<KindlingContext, ContextInternals> access;

    /** For {@code KindlingContext}'s own implementation only. */
    protected ContextInternals() {
    }

    /** The internals of {@code context}. */
    public static ContextInternals of(KindlingContext context) {
        Objects.requireNonNull(context, "context");
        // An instance exists, so KindlingContext's static initializer has installed the access.
        return access.apply(context);
    }

    /**
     * Installs how {@link #of} finds a context's internals; called once, by {@code KindlingContext}'s
     * static initializer. A call from any other class, or a second call, fails.
     */
    public static synchronized void installAccess(Function<KindlingContext, ContextInternals> how) {
        Class<?> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
        if (caller != KindlingContext.class || access != null) {
            throw new IllegalStateException("ContextInternals access is installed once, by KindlingContext's static "
                    + "initializer; " + caller.getName() + " called installAccess (use ContextInternals.of instead)");
        }
        access = Objects.requireNonNull(how, "how");
    }

    /** The context's DAG scheduler. */
    public abstract DAGScheduler scheduler();

    /** The shuffle store that holds map outputs; for RDD implementations that read shuffles. */
    public abstract ShuffleStore shuffleStore();

    /** The block manager holding cached partitions in memory and on disk. */
    public abstract BlockManager blockManager();

    /** Decides which task attempt commits each partition of a save (the driver's output commit coordinator). */
    public abstract OutputCommitCoordinator outputCommits();

    /** The memory budget shared by execution (shuffle and sort buffers) and cached blocks. */
    public abstract MemoryManager memoryManager();

    /** The context these internals belong to. */
    protected abstract KindlingContext context();

    /** The Kryo serializer of disk blocks, spills, checkpoints and object files. */
    public abstract KryoSerializer serializer();

    /**
     * The partitioner used when an operation on {@code rdds} is given none, as Spark's
     * {@code Partitioner.defaultPartitioner} (see {@code PairRDD}).
     */
    public abstract Partitioner defaultPartitioner(List<RDD<?>> rdds);

    /**
     * A fresh shuffle id for a shuffle read by {@code owner}, an RDD implementation; the shuffle's
     * output is freed once {@code owner} becomes unreachable.
     */
    public abstract int newShuffleId(RDD<?> owner);

    /**
     * Runs one of Kindling's own jobs (checkpoint and output writers) whose function holds resources
     * that must not be copied per task, such as the context's serializer. Not for user functions:
     * use {@link KindlingContext#runJob(RDD, KindlingContext.PartitionTask, int[])}.
     */
    public abstract <T, U> List<U> runInternalJob(RDD<T> rdd, KindlingContext.PartitionTask<T, U> task,
            int[] partitions);
}
