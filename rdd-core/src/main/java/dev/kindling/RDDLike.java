package dev.kindling;

import dev.kindling.function.DoubleFlatMapFunction;
import dev.kindling.function.DoubleFunction;
import dev.kindling.function.FlatMapFunction;
import dev.kindling.function.FlatMapFunction2;
import dev.kindling.function.Function;
import dev.kindling.function.Function2;
import dev.kindling.function.PairFlatMapFunction;
import dev.kindling.function.PairFunction;
import dev.kindling.internal.io.Pipe;
import dev.kindling.StreamingCounters;
import dev.kindling.scheduler.Partitioner;
import dev.kindling.storage.StorageLevel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The operations every kind of RDD offers, written once: {@link RDD}, {@link PairRDD} and
 * {@link DoubleRDD} implement this interface, so a pair or double RDD can be filtered, sampled,
 * zipped, piped, cached or checkpointed directly, without an {@code rdd()} detour, as Spark's
 * {@code JavaRDDLike} does for its Java RDDs. Operations that keep the element type
 * ({@link #filter}, {@link #distinct}, {@link #union}, {@link #cache}, ...) return the same kind of
 * view ({@code THIS}); the others return the kind their result needs ({@link #map} an {@link RDD},
 * {@link #mapToPair} a {@link PairRDD}, {@link #mapToDouble} a {@link DoubleRDD}).
 *
 * <p>Contract for implementors:
 * <ol>
 *   <li>{@link #rdd()} returns the RDD the view reads (an {@link RDD} returns itself);</li>
 *   <li>{@link #wrapRDD(RDD)} wraps an RDD of the same element type as a {@code THIS};</li>
 *   <li>{@code THIS} is the implementing type itself (a view's {@code this} is a {@code THIS}).</li>
 * </ol>
 * The accessors and the methods that change an RDD's own state (name, storage level, checkpoint)
 * are declared by {@link RDD} itself; the defaults here delegate to them for the wrappers. (A
 * default that calls the same method on {@code rdd()} must have RDD declare that method, or on an
 * RDD, whose {@code rdd()} is itself, it would call itself forever.) Every other operation is
 * implemented here once, through the package's {@code Transformations}, for all three types.
 * Actions are inherited from {@link RDDActions}.
 *
 * @param <T> element type
 * @param <THIS> the implementing type, returned by the operations that keep the element type
 */
public interface RDDLike<T, THIS extends RDDLike<T, THIS>> extends RDDActions<T> {

    /** Wraps {@code rdd}, which has this view's element type, as this kind of view. */
    THIS wrapRDD(RDD<T> rdd);

    @SuppressWarnings("unchecked")
    private THIS self() {
        return (THIS) this;
    }

    // ---- accessors ----

    /** The context the RDD belongs to. */
    default KindlingContext context() {
        return rdd().context();
    }

    /** The RDD's id, unique within its context. */
    default int id() {
        return rdd().id();
    }

    /** The name set with {@link #setName}, or null. */
    default String name() {
        return rdd().name();
    }

    /** Where the RDD was created, e.g. {@code "map at App.java:12"}. */
    default String creationSite() {
        return rdd().creationSite();
    }

    /** Number of partitions. */
    default int numPartitions() {
        return rdd().numPartitions();
    }

    /** Number of partitions, as Spark's Java API names it. */
    default int getNumPartitions() {
        return rdd().getNumPartitions();
    }

    /** The partition indices, {@code 0 .. getNumPartitions() - 1} (Spark's {@code partitions()}, as indices). */
    default List<Integer> partitions() {
        return IntStream.range(0, rdd().numPartitions()).boxed().collect(Collectors.toList());
    }

    /** How keys are laid out, if known. */
    default Optional<Partitioner> partitioner() {
        return rdd().partitioner();
    }

    /** Prints the lineage, with indentation marking each shuffle (stage) boundary, like Spark. */
    default String toDebugString() {
        return rdd().toDebugString();
    }

    // ---- name, persistence, checkpointing ----

    /** Names the RDD (shown in {@link #toDebugString()} and in events); returns this. */
    default THIS setName(String name) {
        rdd().setName(name);
        return self();
    }

    /** See {@link RDD#persist(StorageLevel)}: keeps partitions at {@code level} once computed; lazy; returns this. */
    default THIS persist(StorageLevel level) {
        rdd().persist(level);
        return self();
    }

    /** {@link #persist(StorageLevel)} at {@link StorageLevel#MEMORY_ONLY}. */
    default THIS cache() {
        return persist(StorageLevel.MEMORY_ONLY);
    }

    /** Drops the cached partitions and the storage level; they are recomputed from lineage when needed. */
    default THIS unpersist() {
        return unpersist(true);
    }

    /** Like {@link #unpersist()}; {@code blocking} is accepted for Spark compatibility (removal is immediate). */
    default THIS unpersist(boolean blocking) {
        rdd().unpersist(blocking);
        return self();
    }

    /** The storage level set by {@link #persist}, or {@link StorageLevel#NONE}. */
    default StorageLevel getStorageLevel() {
        return rdd().getStorageLevel();
    }

    /** See {@link RDD#checkpoint()}: saves the RDD to the checkpoint directory after its first job, then cuts lineage. */
    default void checkpoint() {
        rdd().checkpoint();
    }

    /** See {@link RDD#localCheckpoint()}: cuts lineage after the next job, keeping partitions in the block manager. */
    default THIS localCheckpoint() {
        rdd().localCheckpoint();
        return self();
    }

    /** Whether the RDD was checkpointed (reliably or locally) and its lineage truncated. */
    default boolean isCheckpointed() {
        return rdd().isCheckpointed();
    }

    /** The directory of the RDD's checkpoint files, once reliably checkpointed. */
    default Optional<String> getCheckpointFile() {
        return rdd().getCheckpointFile();
    }

    // ---- transformations to another element type ----

    /** Returns an RDD of {@code f} applied to each element. */
    default <R> RDD<R> map(Function<T, R> f) {
        return Transformations.map(rdd(), f);
    }

    /** Returns the concatenation of the iterators {@code f} returns for each element. */
    default <R> RDD<R> flatMap(FlatMapFunction<T, R> f) {
        return Transformations.flatMap(rdd(), f);
    }

    /** Applies {@code f} to each partition's iterator; {@code f} should return a lazy iterator. */
    default <R> RDD<R> mapPartitions(FlatMapFunction<Iterator<T>, R> f) {
        return mapPartitions(f, false);
    }

    /** Like {@link #mapPartitions(FlatMapFunction)}, keeping the partitioner if {@code preservesPartitioning}. */
    default <R> RDD<R> mapPartitions(FlatMapFunction<Iterator<T>, R> f, boolean preservesPartitioning) {
        return Transformations.mapPartitions(rdd(), f, preservesPartitioning);
    }

    /** Applies {@code f} to each partition's index and iterator; the partitioner is dropped. */
    default <R> RDD<R> mapPartitionsWithIndex(Function2<Integer, Iterator<T>, Iterator<R>> f) {
        return mapPartitionsWithIndex(f, false);
    }

    /** Applies {@code f} to each partition's index and iterator, keeping the partitioner if {@code preservesPartitioning}. */
    default <R> RDD<R> mapPartitionsWithIndex(Function2<Integer, Iterator<T>, Iterator<R>> f,
                                              boolean preservesPartitioning) {
        return Transformations.mapPartitionsWithIndex(rdd(), f, preservesPartitioning);
    }

    /** Returns a pair RDD of {@code f} applied to each element. */
    default <K, V> PairRDD<K, V> mapToPair(PairFunction<T, K, V> f) {
        return Transformations.mapToPair(rdd(), f);
    }

    /** Returns a pair RDD of all pairs {@code f} returns for each element. */
    default <K, V> PairRDD<K, V> flatMapToPair(PairFlatMapFunction<T, K, V> f) {
        return Transformations.flatMapToPair(rdd(), f);
    }

    /** Returns a {@link DoubleRDD} of {@code f} applied to each element. */
    default DoubleRDD mapToDouble(DoubleFunction<T> f) {
        return Transformations.mapToDouble(rdd(), f);
    }

    /** Returns a {@link DoubleRDD} of all doubles {@code f} returns for each element (Spark's {@code flatMapToDouble}). */
    default DoubleRDD flatMapToDouble(DoubleFlatMapFunction<T> f) {
        return Transformations.flatMapToDouble(rdd(), f);
    }

    /** Applies {@code f} to each partition's iterator, giving a pair RDD of the pairs it returns; the partitioner is dropped. */
    default <K, V> PairRDD<K, V> mapPartitionsToPair(PairFlatMapFunction<Iterator<T>, K, V> f) {
        return mapPartitionsToPair(f, false);
    }

    /** Like {@link #mapPartitionsToPair(PairFlatMapFunction)}, keeping the partitioner if {@code preservesPartitioning}. */
    default <K, V> PairRDD<K, V> mapPartitionsToPair(PairFlatMapFunction<Iterator<T>, K, V> f,
                                                     boolean preservesPartitioning) {
        return Transformations.mapPartitionsToPair(rdd(), f, preservesPartitioning);
    }

    /** Applies {@code f} to each partition's iterator, giving a {@link DoubleRDD} of the doubles it returns. */
    default DoubleRDD mapPartitionsToDouble(DoubleFlatMapFunction<Iterator<T>> f) {
        return mapPartitionsToDouble(f, false);
    }

    /** Like {@link #mapPartitionsToDouble(DoubleFlatMapFunction)}, keeping the partitioner if {@code preservesPartitioning}. */
    default DoubleRDD mapPartitionsToDouble(DoubleFlatMapFunction<Iterator<T>> f, boolean preservesPartitioning) {
        return Transformations.mapPartitionsToDouble(rdd(), f, preservesPartitioning);
    }

    /** Pairs each element with the key {@code f} computes: {@code (f(x), x)}. */
    default <K> PairRDD<K, T> keyBy(Function<T, K> f) {
        return Transformations.keyBy(rdd(), f);
    }

    /** Groups elements by the key {@code f} computes. */
    default <K> PairRDD<K, Iterable<T>> groupBy(Function<T, K> f) {
        return keyBy(f).groupByKey();
    }

    /** Groups elements by the key {@code f} computes, in {@code numPartitions} partitions. */
    default <K> PairRDD<K, Iterable<T>> groupBy(Function<T, K> f, int numPartitions) {
        return keyBy(f).groupByKey(numPartitions);
    }

    /** Turns each partition into one list of its elements. */
    default RDD<List<T>> glom() {
        return Transformations.glom(rdd());
    }

    /** All pairs {@code (a, b)} with {@code a} from this RDD and {@code b} from {@code other}. */
    default <U> PairRDD<T, U> cartesian(RDDLike<U, ?> other) {
        return Transformations.cartesian(rdd(), other.rdd());
    }

    /**
     * Pairs the i-th element of each partition with the i-th element of the same partition of
     * {@code other}. Both must have the same number of partitions (checked now) and of elements in
     * each partition (checked when the job runs).
     */
    default <U> PairRDD<T, U> zip(RDDLike<U, ?> other) {
        return Transformations.zip(rdd(), other.rdd());
    }

    /** Applies {@code f} to the iterators of the same partition of both RDDs. */
    default <U, R> RDD<R> zipPartitions(RDDLike<U, ?> other, FlatMapFunction2<Iterator<T>, Iterator<U>, R> f) {
        return Transformations.zipPartitions(rdd(), other.rdd(), f);
    }

    /**
     * Pairs each element with its index in the RDD's order (partition by partition). Runs a job
     * counting partitions 0..n-2 when the first action needs it, not at declaration.
     */
    default PairRDD<T, Long> zipWithIndex() {
        return Transformations.zipWithIndex(rdd());
    }

    /** Pairs each element with a unique id: the k-th element of partition i gets {@code k * n + i}. No job. */
    default PairRDD<T, Long> zipWithUniqueId() {
        return Transformations.zipWithUniqueId(rdd());
    }

    /**
     * Pipes each partition through an external command, Spark's {@code pipe}: the command string is
     * split on whitespace (no shell, no quoting), one process runs per partition attempt (even for an
     * empty partition), elements are written to its stdin one per line ({@code toString()}, UTF-8)
     * from a separate thread, and each stdout line becomes an element. A non-zero exit fails the
     * task with the command, the status and the last stderr lines. Hadoop Streaming's
     * {@code reporter:status:} stderr lines set the task status; other stderr lines are logged.
     */
    default RDD<String> pipe(String command) {
        return pipe(Pipe.splitOnWhitespace(command), Map.of(), null);
    }

    /** Like {@link #pipe(String)}, with {@code env} added to the inherited environment. */
    default RDD<String> pipe(String command, Map<String, String> env) {
        return pipe(Pipe.splitOnWhitespace(command), env, null);
    }

    /** Like {@link #pipe(String)}, with the program and its arguments given as a list (used as is). */
    default RDD<String> pipe(List<String> command) {
        return pipe(command, Map.of(), null);
    }

    /** Like {@link #pipe(List)}, with {@code env} added to the inherited environment. */
    default RDD<String> pipe(List<String> command, Map<String, String> env) {
        return pipe(command, env, null);
    }

    /**
     * Like {@link #pipe(String, Map)}, also collecting Hadoop Streaming counters
     * ({@code reporter:counter:group,counter,amount} stderr lines) into {@code counters}, counted
     * from successful attempts only.
     */
    default RDD<String> pipe(String command, Map<String, String> env, StreamingCounters counters) {
        return pipe(Pipe.splitOnWhitespace(command), env, counters);
    }

    /** Like {@link #pipe(String, Map, StreamingCounters)}, with the command as a list. */
    default RDD<String> pipe(List<String> command, Map<String, String> env, StreamingCounters counters) {
        return Pipe.create(rdd(), command, env, counters);
    }

    // ---- transformations that keep the element type (and the kind of view) ----

    /** Returns the elements for which {@code f} is true; keeps the partitioner. */
    default THIS filter(Function<T, Boolean> f) {
        return wrapRDD(Transformations.filter(rdd(), f));
    }

    /** Returns the distinct elements, with as many partitions as this RDD (none for an RDD without partitions). */
    default THIS distinct() {
        return distinct(rdd().numPartitions());
    }

    /** Returns the distinct elements in {@code numPartitions} partitions. */
    default THIS distinct(int numPartitions) {
        return wrapRDD(Transformations.distinct(rdd(), numPartitions));
    }

    /**
     * Concatenates this RDD's partitions and {@code other}'s; duplicates are kept. When both have
     * the same partitioner, partition i is the union of their partitions i and the partitioner is kept.
     */
    default THIS union(THIS other) {
        return wrapRDD(Transformations.union(rdd(), other.rdd()));
    }

    /** Returns the elements present in both RDDs, without duplicates. */
    default THIS intersection(THIS other) {
        return intersection(other, Math.max(1, Math.max(rdd().numPartitions(), other.rdd().numPartitions())));
    }

    /** Returns the elements present in both RDDs, without duplicates, in {@code numPartitions} partitions. */
    default THIS intersection(THIS other, int numPartitions) {
        return wrapRDD(Transformations.intersection(rdd(), other.rdd(), numPartitions));
    }

    /** Returns the elements of this RDD that are not in {@code other}; duplicates on this side are kept. */
    default THIS subtract(THIS other) {
        return subtract(other, Math.max(1, rdd().numPartitions()));
    }

    /** Like {@link #subtract(RDDLike)}, in {@code numPartitions} partitions. */
    default THIS subtract(THIS other, int numPartitions) {
        return wrapRDD(Transformations.subtract(rdd(), other.rdd(), numPartitions));
    }

    /** A random sample; {@code fraction} is the expected share (without replacement) or count per element (with). */
    default THIS sample(boolean withReplacement, double fraction) {
        return sample(withReplacement, fraction, new Random().nextLong());
    }

    /** A random sample, reproducible for a given {@code seed}. */
    default THIS sample(boolean withReplacement, double fraction, long seed) {
        return wrapRDD(Transformations.sample(rdd(), withReplacement, fraction, seed));
    }

    /** Splits this RDD randomly by {@code weights} (normalised); every element lands in exactly one split. */
    default List<THIS> randomSplit(double[] weights) {
        return randomSplit(weights, new Random().nextLong());
    }

    /** Splits this RDD randomly by {@code weights}, reproducibly for a given {@code seed}. */
    default List<THIS> randomSplit(double[] weights, long seed) {
        List<THIS> splits = new ArrayList<>();
        for (RDD<T> split : Transformations.randomSplit(rdd(), weights, seed)) {
            splits.add(wrapRDD(split));
        }
        return splits;
    }

    /** Sorts by the key {@code f} computes, ascending or not, in {@code numPartitions} partitions. */
    default <K> THIS sortBy(Function<T, K> f, boolean ascending, int numPartitions) {
        return wrapRDD(keyBy(f).sortByKey(ascending, numPartitions).values());
    }

    /** Reduces the partition count without a shuffle by merging neighbouring partitions; never increases it. */
    default THIS coalesce(int numPartitions) {
        return coalesce(numPartitions, false);
    }

    /** Changes the partition count; with {@code shuffle} it may grow and the data is rebalanced. */
    default THIS coalesce(int numPartitions, boolean shuffle) {
        return wrapRDD(Transformations.coalesce(rdd(), numPartitions, shuffle));
    }

    /** Rebalances into exactly {@code numPartitions} partitions with a shuffle. */
    default THIS repartition(int numPartitions) {
        return coalesce(numPartitions, true);
    }
}
