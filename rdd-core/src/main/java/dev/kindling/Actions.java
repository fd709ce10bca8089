package dev.kindling;

import dev.kindling.function.Function2;
import dev.kindling.function.VoidFunction;
import dev.kindling.internal.rdd.Copies;
import dev.kindling.internal.rdd.Iterators;
import dev.kindling.scheduler.HashPartitioner;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.stream.IntStream;

/** The longer action algorithms behind the methods of {@link RDDActions}, following Spark's semantics. */
final class Actions {

    /** Partitions scanned per round grow at most this many times (Spark's scale-up factor). */
    private static final int TAKE_SCALE_UP = 4;

    private Actions() {
    }

    static <T> List<T> collect(RDD<T> rdd) {
        List<List<T>> parts = rdd.context().runJob(rdd, (ctx, it) -> {
            List<T> list = new ArrayList<>();
            it.forEachRemaining(list::add);
            return list;
        });
        int size = 0;
        for (List<T> p : parts) {
            size += p.size();
        }
        List<T> all = new ArrayList<>(size);
        parts.forEach(all::addAll);
        return all;
    }

    static <T> List<List<T>> collectPartitions(RDD<T> rdd, int[] partitionIds) {
        int n = rdd.numPartitions();
        for (int p : partitionIds) {
            if (p < 0 || p >= n) {
                throw new IllegalArgumentException("collectPartitions: partition " + p + " does not exist; "
                        + rdd + " has partitions 0 to " + (n - 1));
            }
        }
        int[] distinct = IntStream.of(partitionIds).distinct().toArray(); // one task per partition, even if asked twice
        List<List<T>> results = rdd.context().runJob(rdd, (ctx, it) -> {
            List<T> list = new ArrayList<>();
            it.forEachRemaining(list::add);
            return list;
        }, distinct);
        List<List<T>> out = new ArrayList<>(partitionIds.length);
        for (int p : partitionIds) {
            out.add(results.get(IntStream.range(0, distinct.length).filter(i -> distinct[i] == p).findFirst().orElseThrow()));
        }
        return out;
    }

    static long count(RDD<?> rdd) {
        long total = 0;
        for (long n : rdd.context().runJob(rdd, (ctx, it) -> Iterators.count(it))) {
            total += n;
        }
        return total;
    }

    static <T> void foreach(RDD<T> rdd, VoidFunction<T> f) {
        rdd.context().runJob(rdd, (ctx, it) -> {
            while (it.hasNext()) {
                f.call(it.next());
            }
            return null;
        });
    }

    static <T> void foreachPartition(RDD<T> rdd, VoidFunction<Iterator<T>> f) {
        rdd.context().runJob(rdd, (ctx, it) -> {
            f.call(it);
            return null;
        });
    }

    static <T> T first(RDD<T> rdd) {
        List<T> one = take(rdd, 1);
        if (one.isEmpty()) {
            throw new UnsupportedOperationException("empty collection");
        }
        return one.get(0);
    }

    static <T> T min(RDD<T> rdd, Comparator<T> comparator) {
        rdd.checkClosure(comparator);
        return reduce(rdd, (a, b) -> comparator.compare(a, b) <= 0 ? a : b);
    }

    static <T> T max(RDD<T> rdd, Comparator<T> comparator) {
        rdd.checkClosure(comparator);
        return reduce(rdd, (a, b) -> comparator.compare(a, b) >= 0 ? a : b);
    }

    static <T> Map<T, Long> countByValue(RDD<T> rdd) {
        return rdd.<T, Object>mapToPair(x -> new Pair<>(x, null)).countByKey();
    }

    static <T> List<T> take(RDD<T> rdd, int n) {
        // n <= 0 gives an empty list, as Spark's take.
        List<T> buf = new ArrayList<>();
        int total = rdd.numPartitions();
        int scanned = 0;
        while (buf.size() < n && scanned < total) {
            int remaining = n - buf.size();
            long toTry = 1;
            if (scanned > 0) {
                toTry = buf.isEmpty() ? (long) scanned * TAKE_SCALE_UP
                        : Math.min(Math.max((long) Math.ceil(1.5 * remaining * scanned / buf.size()), 1),
                        (long) scanned * TAKE_SCALE_UP);
            }
            int end = (int) Math.min(total, scanned + toTry);
            int[] partitions = IntStream.range(scanned, end).toArray();
            List<List<T>> results = rdd.context().runJob(rdd, (ctx, it) -> {
                List<T> part = new ArrayList<>();
                Iterators.limit(it, remaining).forEachRemaining(part::add);
                return part;
            }, partitions);
            for (List<T> r : results) {
                for (T x : r) {
                    if (buf.size() < n) {
                        buf.add(x);
                    }
                }
            }
            scanned = end;
        }
        return buf;
    }

    static <T> List<T> takeOrdered(RDD<T> rdd, int n, Comparator<T> comparator) {
        if (n < 0) {
            throw new IllegalArgumentException("takeOrdered/top: n must be >= 0 (got " + n + ")");
        }
        if (n == 0) {
            return new ArrayList<>();
        }
        List<List<T>> parts = rdd.context().runJob(rdd, (ctx, it) -> smallest(it, n, comparator));
        List<T> all = new ArrayList<>();
        parts.forEach(all::addAll);
        all.sort(comparator);
        return new ArrayList<>(all.subList(0, Math.min(n, all.size())));
    }

    private static <T> List<T> smallest(Iterator<T> it, int n, Comparator<T> comparator) {
        PriorityQueue<T> heap = new PriorityQueue<>(Math.min(n, 1024) + 1, comparator.reversed());
        while (it.hasNext()) {
            T x = it.next();
            if (heap.size() < n) {
                heap.add(x);
            } else if (comparator.compare(x, heap.peek()) < 0) {
                heap.poll();
                heap.add(x);
            }
        }
        return new ArrayList<>(heap);
    }

    static <T> List<T> takeSample(RDD<T> rdd, boolean withReplacement, int num, long seed) {
        if (num < 0) {
            throw new IllegalArgumentException("takeSample: num must be >= 0 (got " + num + ")");
        }
        if (num == 0) {
            return new ArrayList<>();
        }
        long count = rdd.count();
        if (count == 0) {
            return new ArrayList<>();
        }
        Random random = new Random(seed);
        if (!withReplacement && num >= count) {
            List<T> all = rdd.collect();
            Collections.shuffle(all, random);
            return all;
        }
        double fraction = fractionForSampleSize(num, count, withReplacement);
        List<T> samples = rdd.sample(withReplacement, fraction, random.nextInt()).collect();
        while (samples.size() < num) {
            samples = rdd.sample(withReplacement, fraction, random.nextInt()).collect();
        }
        Collections.shuffle(samples, random);
        return new ArrayList<>(samples.subList(0, num));
    }

    /** A fraction that yields at least {@code num} samples with very high probability (Spark's bound). */
    static double fractionForSampleSize(int num, long total, boolean withReplacement) {
        double fraction = (double) num / total;
        if (withReplacement) {
            int numStdev = num < 12 ? 9 : 5;
            return Math.max(fraction + numStdev * Math.sqrt(fraction / total), 1e-10);
        }
        double delta = 1e-4;
        double gamma = -Math.log(delta) / total;
        return Math.min(1, Math.max(1e-10, fraction + gamma + Math.sqrt(gamma * gamma + 2 * gamma * fraction)));
    }

    /** A value that may be absent, for reductions over possibly empty partitions. */
    record Box<T>(boolean defined, T value) implements Serializable {
        static final Box<?> EMPTY = new Box<>(false, null);

        @SuppressWarnings("unchecked")
        static <T> Box<T> empty() {
            return (Box<T>) EMPTY;
        }
    }

    static <T> T reduce(RDD<T> rdd, Function2<T, T, T> f) {
        List<Box<T>> parts = rdd.context().runJob(rdd, (ctx, it) -> {
            if (!it.hasNext()) {
                return Box.<T>empty();
            }
            T acc = it.next();
            while (it.hasNext()) {
                acc = f.call(acc, it.next());
            }
            return new Box<>(true, acc);
        });
        return unbox(mergeBoxes(parts, f));
    }

    private static <T> Box<T> mergeBoxes(List<Box<T>> parts, Function2<T, T, T> f) {
        Box<T> acc = Box.empty();
        for (Box<T> b : parts) {
            acc = mergeBox(acc, b, f);
        }
        return acc;
    }

    private static <T> Box<T> mergeBox(Box<T> a, Box<T> b, Function2<T, T, T> f) {
        if (!a.defined()) {
            return b;
        }
        if (!b.defined()) {
            return a;
        }
        try {
            return new Box<>(true, f.call(a.value(), b.value()));
        } catch (Exception e) {
            throw RDD.rethrow(e);
        }
    }

    private static <T> T unbox(Box<T> box) {
        if (!box.defined()) {
            throw new UnsupportedOperationException("empty collection");
        }
        return box.value();
    }

    static <T, U> U aggregate(RDD<T> rdd, U zero, Function2<U, T, U> seqOp, Function2<U, U, U> combOp) {
        List<U> parts = rdd.context().runJob(rdd, (ctx, it) -> {
            U acc = Copies.copy(zero);
            while (it.hasNext()) {
                acc = seqOp.call(acc, it.next());
            }
            return acc;
        });
        U result = Copies.copy(zero);
        try {
            for (U p : parts) {
                result = combOp.call(result, p);
            }
        } catch (Exception e) {
            throw RDD.rethrow(e);
        }
        return result;
    }

    static <T, U> U treeAggregate(RDD<T> rdd, U zero, Function2<U, T, U> seqOp, Function2<U, U, U> combOp,
                                  int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("treeAggregate/treeReduce: depth must be >= 1 (got " + depth + ")");
        }
        int partitions = rdd.numPartitions();
        if (partitions == 0) {
            return Copies.copy(zero);
        }
        int scale = Math.max((int) Math.ceil(Math.pow(partitions, 1.0 / depth)), 2);
        // Spark's use of the zero: each partition folds from its own copy, each tree level is a
        // foldByKey(zero) (one copy per key per map partition), and the last step is fold(zero)
        // (one copy per partition and one at the driver). A non-neutral zero therefore counts
        // 2P + 1 times plus once per key per level, as in Spark.
        // The node is built directly: RDD.treeAggregate already checked the user's functions, and
        // checking this wrapper again would serialize them a second time on every iteration.
        RDD<U> partial = new dev.kindling.internal.rdd.MapPartitionsRDD<T, U>(rdd, (ctx, p, it) ->
                List.of(Iterators.fold(it, Copies.copy(zero), seqOp, ctx)).iterator(), false);
        while (needsTreeLevel(partitions, scale)) {
            partitions /= scale;
            int current = partitions;
            partial = partial.mapPartitionsWithIndex((i, it) -> Iterators.map(it, x -> new Pair<>(i % current, x)), false)
                    .mapToPair(p -> p)
                    .foldByKey(zero, new HashPartitioner(current), combOp)
                    .values();
        }
        return aggregate(partial, zero, combOp, combOp);
    }

    /** Whether merging {@code partitions} results pays for another level of the tree (Spark's rule). */
    private static boolean needsTreeLevel(int partitions, int scale) {
        return partitions > scale + Math.ceil((double) partitions / scale);
    }

    static <T> T treeReduce(RDD<T> rdd, Function2<T, T, T> f, int depth) {
        Function2<Box<T>, T, Box<T>> seq = (acc, x) -> mergeBox(acc, new Box<>(true, x), f);
        Function2<Box<T>, Box<T>, Box<T>> comb = (a, b) -> mergeBox(a, b, f);
        return unbox(treeAggregate(rdd, Box.empty(), seq, comb, depth));
    }

    static <T> Iterator<T> toLocalIterator(RDD<T> rdd) {
        int total = rdd.numPartitions();
        return new Iterator<>() {
            private int next;
            private Iterator<T> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && next < total) {
                    int p = next++;
                    List<List<T>> one = rdd.context().runJob(rdd, (ctx, it) -> {
                        List<T> list = new ArrayList<>();
                        it.forEachRemaining(list::add);
                        return list;
                    }, new int[] {p});
                    current = one.get(0).iterator();
                }
                return current.hasNext();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }
}
