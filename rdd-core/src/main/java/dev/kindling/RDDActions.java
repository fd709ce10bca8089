package dev.kindling;

import dev.kindling.function.Function2;
import dev.kindling.function.VoidFunction;
import dev.kindling.internal.io.ObjectFileRDD;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The actions every kind of RDD offers: {@link RDD}, {@link PairRDD} and {@link DoubleRDD} alike,
 * as Spark's {@code JavaRDDLike} gives them to every Java RDD. Each action runs one or more jobs
 * over {@link #rdd()} and returns its result to the driver (or writes it out).
 *
 * <p>Written once, here, as default methods; implementors provide only {@link #rdd()}. The
 * transformations are on {@link RDDLike}.
 *
 * @param <T> element type
 */
public interface RDDActions<T> {

    /** The RDD this view reads: the RDD itself, or the RDD a {@link PairRDD}/{@link DoubleRDD} wraps. */
    RDD<T> rdd();

    /** Returns all elements, in partition order. Everything must fit in the driver's memory. */
    default List<T> collect() {
        return Actions.collect(rdd());
    }

    /** The elements of the given partitions, one list per partition in the order asked, as Spark's {@code collectPartitions}. */
    default List<List<T>> collectPartitions(int... partitionIds) {
        return Actions.collectPartitions(rdd(), partitionIds);
    }

    /** Number of elements. */
    default long count() {
        return Actions.count(rdd());
    }

    /** The first element; {@link UnsupportedOperationException} ("empty collection") on an empty RDD. */
    default T first() {
        return Actions.first(rdd());
    }

    /** The first {@code n} elements, scanning as few partitions as possible (Spark's growth rule); empty when {@code n <= 0}. */
    default List<T> take(int n) {
        return Actions.take(rdd(), n);
    }

    /** The {@code n} smallest elements by natural order, sorted. */
    @SuppressWarnings("unchecked")
    default List<T> takeOrdered(int n) {
        return takeOrdered(n, (Comparator<T>) Comparator.naturalOrder());
    }

    /** The {@code n} smallest elements by {@code comparator}, sorted. */
    default List<T> takeOrdered(int n, Comparator<T> comparator) {
        rdd().checkClosure(comparator);
        return Actions.takeOrdered(rdd(), n, comparator);
    }

    /** The {@code n} largest elements by natural order, largest first. */
    @SuppressWarnings("unchecked")
    default List<T> top(int n) {
        return top(n, (Comparator<T>) Comparator.naturalOrder());
    }

    /** The {@code n} largest elements by {@code comparator}, largest first. */
    default List<T> top(int n, Comparator<T> comparator) {
        rdd().checkClosure(comparator);
        return Actions.takeOrdered(rdd(), n, comparator.reversed());
    }

    /** A random sample of exactly {@code num} elements (fewer if the RDD is smaller, without replacement). */
    default List<T> takeSample(boolean withReplacement, int num) {
        return takeSample(withReplacement, num, new Random().nextLong());
    }

    /** Like {@link #takeSample(boolean, int)}, reproducible for a given {@code seed}. */
    default List<T> takeSample(boolean withReplacement, int num, long seed) {
        return Actions.takeSample(rdd(), withReplacement, num, seed);
    }

    /** Combines all elements with an associative, commutative {@code f}; throws on an empty RDD. */
    default T reduce(Function2<T, T, T> f) {
        rdd().checkClosure(f);
        return Actions.reduce(rdd(), f);
    }

    /** Like {@link #reduce}, combining partition results in a tree of depth 2. */
    default T treeReduce(Function2<T, T, T> f) {
        return treeReduce(f, 2);
    }

    /** Like {@link #reduce}, combining partition results in a tree of the given depth. */
    default T treeReduce(Function2<T, T, T> f, int depth) {
        rdd().checkClosure(f);
        return Actions.treeReduce(rdd(), f, depth);
    }

    /** Folds each partition from a copy of {@code zero}, then the partition results from another copy. */
    default T fold(T zero, Function2<T, T, T> f) {
        rdd().checkClosure(f);
        return Actions.aggregate(rdd(), zero, f, f);
    }

    /** Aggregates each partition with {@code seqOp} from a copy of {@code zero}, then merges with {@code combOp}. */
    default <U> U aggregate(U zero, Function2<U, T, U> seqOp, Function2<U, U, U> combOp) {
        rdd().checkClosure(seqOp);
        rdd().checkClosure(combOp);
        return Actions.aggregate(rdd(), zero, seqOp, combOp);
    }

    /** Like {@link #aggregate}, merging partition results in a tree of depth 2. */
    default <U> U treeAggregate(U zero, Function2<U, T, U> seqOp, Function2<U, U, U> combOp) {
        return treeAggregate(zero, seqOp, combOp, 2);
    }

    /**
     * Like {@link #aggregate}, merging partition results in a tree of the given depth; with too few
     * partitions for a tree level (as Spark decides it), it runs as one {@link #aggregate} job.
     */
    default <U> U treeAggregate(U zero, Function2<U, T, U> seqOp, Function2<U, U, U> combOp, int depth) {
        rdd().checkClosure(seqOp);
        rdd().checkClosure(combOp);
        return Actions.treeAggregate(rdd(), zero, seqOp, combOp, depth);
    }

    /** The smallest element by {@code comparator}; throws on an empty RDD. */
    default T min(Comparator<T> comparator) {
        return Actions.min(rdd(), comparator);
    }

    /** The largest element by {@code comparator}; throws on an empty RDD. */
    default T max(Comparator<T> comparator) {
        return Actions.max(rdd(), comparator);
    }

    /** Counts each distinct element. */
    default Map<T, Long> countByValue() {
        return Actions.countByValue(rdd());
    }

    /** Whether the RDD has no element; scans only as much as needed. */
    default boolean isEmpty() {
        return rdd().numPartitions() == 0 || take(1).isEmpty();
    }

    /**
     * The approximate number of distinct elements, as Spark's {@code countApproxDistinct}: a
     * HyperLogLog sketch per partition (Apache DataSketches), merged on the driver; one job.
     * {@code relativeSD} is the wanted relative standard deviation (0.05 for 5%; smaller costs
     * memory: a full sketch takes 512 bytes at 0.05, 16 KiB at 0.01); it must be greater than
     * 0.000017 and, unlike Spark, at least 0.000718. {@code null} counts as one value. See the
     * README's API tour for how elements are told apart.
     *
     * @throws IllegalArgumentException if {@code relativeSD} is out of range, before any job runs
     */
    default long countApproxDistinct(double relativeSD) {
        return ApproxDistinct.count(rdd(), relativeSD);
    }

    /** Iterates over all elements, running one job per partition as the iterator advances. */
    default Iterator<T> toLocalIterator() {
        return Actions.toLocalIterator(rdd());
    }

    /** Applies {@code f} to each element on the executors. */
    default void foreach(VoidFunction<T> f) {
        rdd().checkClosure(f);
        Actions.foreach(rdd(), f);
    }

    /** Applies {@code f} to each partition's iterator on the executors. */
    default void foreachPartition(VoidFunction<Iterator<T>> f) {
        rdd().checkClosure(f);
        Actions.foreachPartition(rdd(), f);
    }

    /** {@link #count()} run asynchronously: a future that {@link FutureAction#cancel cancels} the job (Spark's {@code countAsync}). */
    default FutureAction<Long> countAsync() {
        return FutureAction.start("countAsync", this::count);
    }

    /** {@link #collect()} run asynchronously, as Spark's {@code collectAsync}; see {@link FutureAction}. */
    default FutureAction<List<T>> collectAsync() {
        return FutureAction.start("collectAsync", this::collect);
    }

    /** {@link #take(int)} run asynchronously (its jobs, one after another), as Spark's {@code takeAsync}. */
    default FutureAction<List<T>> takeAsync(int n) {
        return FutureAction.start("takeAsync", () -> take(n));
    }

    /** {@link #foreach} run asynchronously, as Spark's {@code foreachAsync}; the future's value is null. */
    default FutureAction<Void> foreachAsync(VoidFunction<T> f) {
        rdd().checkClosure(f);
        return FutureAction.start("foreachAsync", () -> {
            Actions.foreach(rdd(), f);
            return null;
        });
    }

    /** {@link #foreachPartition} run asynchronously, as Spark's {@code foreachPartitionAsync}; the value is null. */
    default FutureAction<Void> foreachPartitionAsync(VoidFunction<Iterator<T>> f) {
        rdd().checkClosure(f);
        return FutureAction.start("foreachPartitionAsync", () -> {
            Actions.foreachPartition(rdd(), f);
            return null;
        });
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
    default void saveAsTextFile(String path) {
        rdd().context().textOutput().save(rdd(), path, null);
    }

    /** Like {@link #saveAsTextFile(String)}, compressed with {@code codec} ({@code "gzip"}). */
    default void saveAsTextFile(String path, String codec) {
        rdd().context().textOutput().save(rdd(), path, codec);
    }

    /**
     * Saves the elements as Kryo-serialized batches in {@code part-NNNNN} files under {@code path}
     * (same commit protocol as {@link #saveAsTextFile}); read them back with
     * {@link KindlingContext#objectFile(String)}.
     */
    default void saveAsObjectFile(String path) {
        ObjectFileRDD.save(rdd().context().textOutput(), rdd(), path);
    }
}
