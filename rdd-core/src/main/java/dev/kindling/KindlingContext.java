package dev.kindling;

import dev.kindling.io.TextFileRDD;
import dev.kindling.io.TextOutput;
import dev.kindling.io.WholeFilesRDD;
import dev.kindling.rdd.CacheManager;
import dev.kindling.rdd.CallSite;
import dev.kindling.rdd.EmptyRDD;
import dev.kindling.rdd.ParallelCollectionRDD;
import dev.kindling.rdd.RangeRDD;
import dev.kindling.rdd.UnionRDD;
import dev.kindling.scheduler.DAGScheduler;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.HashPartitioner;
import dev.kindling.scheduler.LocalBackend;
import dev.kindling.scheduler.Partitioner;
import dev.kindling.scheduler.SchedulerListener;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.storage.shuffle.MemoryShuffleStore;
import dev.kindling.storage.shuffle.ShuffleStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The handle to a running Kindling instance: creates RDDs from data, runs jobs on its executor
 * threads, and owns the scheduler, the shuffle and block stores and a scratch directory. Close it
 * (try-with-resources) to stop its threads and delete its files.
 *
 * <p>Thread safety: all methods may be called from several threads; jobs submitted concurrently run
 * concurrently, sharing the executor threads.
 */
public final class KindlingContext implements AutoCloseable {

    private final KindlingConf conf;
    private final int threads;
    private final DAGScheduler scheduler;
    private final ShuffleStore shuffleStore;
    private final CacheManager cacheManager;
    private final TextOutput textOutput;
    private final Path localDir;
    private final AtomicInteger nextRddId = new AtomicInteger();
    private final AtomicInteger nextShuffleId = new AtomicInteger();
    private final InheritableThreadLocal<String> jobGroup = new InheritableThreadLocal<>();
    private volatile boolean closed;

    KindlingContext(KindlingConf conf) {
        this.conf = conf;
        this.threads = conf.executorThreads();
        int maxFailures = conf.getInt(KindlingConf.TASK_MAX_FAILURES, 4);
        long shutdownTimeout = conf.getLong(KindlingConf.SHUTDOWN_TIMEOUT_MS, 10_000);
        try {
            Path parent = Path.of(conf.get(KindlingConf.LOCAL_DIR, System.getProperty("java.io.tmpdir")));
            Files.createDirectories(parent);
            this.localDir = Files.createTempDirectory(parent, "kindling-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a scratch directory under " + KindlingConf.LOCAL_DIR + "="
                    + conf.get(KindlingConf.LOCAL_DIR, System.getProperty("java.io.tmpdir"))
                    + "; set it to a writable directory", e);
        }
        this.shuffleStore = new MemoryShuffleStore();
        this.cacheManager = new CacheManager();
        this.textOutput = new TextOutput(this);
        this.scheduler = new DAGScheduler(new LocalBackend(threads), shuffleStore, maxFailures, shutdownTimeout);
    }

    // ---- configuration ----

    /** The configuration this context was built with. */
    public KindlingConf getConf() {
        return conf;
    }

    /** Number of executor threads. */
    public int executorThreads() {
        return threads;
    }

    /** Default number of partitions: {@value KindlingConf#DEFAULT_PARALLELISM}, else the executor thread count. */
    public int defaultParallelism() {
        return conf.getInt(KindlingConf.DEFAULT_PARALLELISM, threads);
    }

    /** The context's scratch directory (deleted at close). */
    public Path localDir() {
        return localDir;
    }

    // ---- creating RDDs ----

    /** Distributes a list into {@link #defaultParallelism()} partitions. */
    public <T> RDD<T> parallelize(List<T> data) {
        return parallelize(data, defaultParallelism());
    }

    /** Distributes a list into {@code numSlices} contiguous partitions (the list is copied). */
    public <T> RDD<T> parallelize(List<T> data, int numSlices) {
        checkOpen();
        return new ParallelCollectionRDD<>(this, data, numSlices);
    }

    /** Distributes a list of pairs. */
    public <K, V> PairRDD<K, V> parallelizePairs(List<Pair<K, V>> data, int numSlices) {
        return new PairRDD<>(parallelize(data, numSlices));
    }

    /** Distributes a list of pairs into {@link #defaultParallelism()} partitions. */
    public <K, V> PairRDD<K, V> parallelizePairs(List<Pair<K, V>> data) {
        return parallelizePairs(data, defaultParallelism());
    }

    /** Distributes a list of doubles. */
    public DoubleRDD parallelizeDoubles(List<Double> data, int numSlices) {
        return new DoubleRDD(parallelize(data, numSlices));
    }

    /** Distributes a list of doubles into {@link #defaultParallelism()} partitions. */
    public DoubleRDD parallelizeDoubles(List<Double> data) {
        return parallelizeDoubles(data, defaultParallelism());
    }

    /** The longs in {@code [start, end)}, generated lazily. */
    public RDD<Long> range(long start, long end) {
        return range(start, end, 1, defaultParallelism());
    }

    /** The longs {@code start, start+step, ...} before {@code end}, in {@code numSlices} partitions. */
    public RDD<Long> range(long start, long end, long step, int numSlices) {
        checkOpen();
        return new RangeRDD(this, start, end, step, numSlices);
    }

    /** An RDD with no partitions. */
    public <T> RDD<T> emptyRDD() {
        checkOpen();
        return new EmptyRDD<>(this);
    }

    /** Concatenates the partitions of {@code rdds}. */
    @SafeVarargs
    public final <T> RDD<T> union(RDD<T>... rdds) {
        return union(Arrays.asList(rdds));
    }

    /** Concatenates the partitions of {@code rdds}. */
    public <T> RDD<T> union(List<RDD<T>> rdds) {
        checkOpen();
        if (rdds.isEmpty()) {
            return emptyRDD();
        }
        return new UnionRDD<>(this, rdds);
    }

    /**
     * The lines of a text file, directory, glob or comma-separated list of them, in at least
     * {@link #defaultParallelism()} partitions (capped at 2) where the files allow it.
     */
    public RDD<String> textFile(String path) {
        return textFile(path, Math.min(defaultParallelism(), 2));
    }

    /** The lines of a text file, directory, glob or comma-separated list, in at least {@code minPartitions} splits. */
    public RDD<String> textFile(String path, int minPartitions) {
        checkOpen();
        return TextFileRDD.create(this, path, minPartitions);
    }

    /** Each file of a path, directory, glob or comma list as {@code (file:/abs/path, text)}; see {@link WholeFilesRDD}. */
    public PairRDD<String, String> wholeTextFiles(String path) {
        return wholeTextFiles(path, defaultParallelism());
    }

    /** Like {@link #wholeTextFiles(String)}, in at most {@code minPartitions} partitions (one file never splits). */
    public PairRDD<String, String> wholeTextFiles(String path, int minPartitions) {
        checkOpen();
        return new PairRDD<>(WholeFilesRDD.text(this, path, minPartitions));
    }

    /** Each file of a path, directory, glob or comma list as {@code (file:/abs/path, bytes)}. */
    public PairRDD<String, byte[]> binaryFiles(String path) {
        return binaryFiles(path, defaultParallelism());
    }

    /** Like {@link #binaryFiles(String)}, in at most {@code minPartitions} partitions. */
    public PairRDD<String, byte[]> binaryFiles(String path, int minPartitions) {
        checkOpen();
        return new PairRDD<>(WholeFilesRDD.binary(this, path, minPartitions));
    }

    // ---- jobs ----

    /**
     * Runs a job over all partitions of {@code rdd} and returns each partition's result in order.
     * The building block of every action.
     */
    public <T, U> List<U> runJob(RDD<T> rdd, PartitionTask<T, U> task) {
        return runJob(rdd, task, IntStream.range(0, rdd.numPartitions()).toArray());
    }

    /** Runs a job over the given partitions of {@code rdd}; results come in the order asked. */
    @SuppressWarnings("unchecked")
    public <T, U> List<U> runJob(RDD<T> rdd, PartitionTask<T, U> task, int[] partitions) {
        checkOpen();
        if (rdd.context() != this) {
            throw new IllegalArgumentException(rdd + " belongs to another context");
        }
        for (int p : partitions) {
            if (p < 0 || p >= rdd.numPartitions()) {
                throw new IllegalArgumentException("partition " + p + " does not exist in " + rdd + " ("
                        + rdd.numPartitions() + " partitions)");
            }
        }
        prepareLineage(rdd);
        Object[] results = new Object[partitions.length];
        scheduler.runJob(rdd, partitions, (ctx, it) -> task.apply(ctx, (Iterator<T>) it),
                (index, result) -> results[index] = result, CallSite.capture(), jobGroup.get());
        List<U> list = new ArrayList<>(results.length);
        for (Object r : results) {
            list.add((U) r);
        }
        return list;
    }

    /** What a job computes from one partition. */
    @FunctionalInterface
    public interface PartitionTask<T, U> extends java.io.Serializable {
        /** Computes the partition's result from its elements. */
        U apply(TaskContext context, Iterator<T> partition) throws Exception;
    }

    private void prepareLineage(RDD<?> root) {
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

    /** Marks all jobs started from the current thread (and threads it starts) as part of {@code groupId}. */
    public void setJobGroup(String groupId, String description) {
        jobGroup.set(groupId);
    }

    /** Clears the current thread's job group. */
    public void clearJobGroup() {
        jobGroup.remove();
    }

    /** Cancels the active jobs of a group: their running tasks are interrupted and the jobs fail with a cancellation. */
    public void cancelJobGroup(String groupId) {
        scheduler.cancelJobGroup(groupId, "job group " + groupId + " was cancelled");
    }

    /** Cancels every active job. The context stays usable. */
    public void cancelAllJobs() {
        scheduler.cancelAllJobs("cancelAllJobs() was called");
    }

    /** Registers a listener for job, stage and task events. */
    public void addListener(SchedulerListener listener) {
        scheduler.addListener(listener);
    }

    /** Removes a listener. */
    public void removeListener(SchedulerListener listener) {
        scheduler.removeListener(listener);
    }

    // ---- internals shared with RDD implementations ----

    /** The scheduler; for tests and tools. */
    public DAGScheduler scheduler() {
        return scheduler;
    }

    /** The shuffle store; for RDD implementations that read shuffles. */
    public ShuffleStore shuffleStore() {
        return shuffleStore;
    }

    /** The cache of persisted partitions. */
    public CacheManager cacheManager() {
        return cacheManager;
    }

    CacheManager blockReader() {
        return cacheManager;
    }

    TextOutput textOutput() {
        return textOutput;
    }

    int newRddId() {
        return nextRddId.getAndIncrement();
    }

    /** A fresh shuffle id; for RDD implementations that create shuffle dependencies. */
    public int newShuffleId() {
        return nextShuffleId.getAndIncrement();
    }

    /** The partitioner used when an operation on {@code rdds} is given none (see {@link PairRDD}). */
    public Partitioner defaultPartitioner(List<RDD<?>> rdds) {
        RDD<?> largest = rdds.stream().max(Comparator.comparingInt(RDD::numPartitions)).orElseThrow();
        RDD<?> largestWithPartitioner = rdds.stream().filter(r -> r.partitioner().isPresent())
                .max(Comparator.comparingInt(RDD::numPartitions)).orElse(null);
        if (largestWithPartitioner != null
                && largestWithPartitioner.partitioner().get().numPartitions() >= largest.numPartitions()) {
            return largestWithPartitioner.partitioner().get();
        }
        if (conf.contains(KindlingConf.DEFAULT_PARALLELISM)) {
            return new HashPartitioner(defaultParallelism());
        }
        return new HashPartitioner(Math.max(1, largest.numPartitions()));
    }

    // ---- lifecycle ----

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("This KindlingContext is closed; create a new one with Kindling.local()");
        }
    }

    /** Cancels running jobs, stops the executor threads and deletes the scratch directory. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.close();
        shuffleStore.close();
        cacheManager.clear();
        deleteRecursively(localDir);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Best effort: a file still open elsewhere is left for the OS temp cleaner.
                }
            });
        } catch (IOException ignored) {
            // Nothing more to do at close.
        }
    }

    @Override
    public String toString() {
        return "KindlingContext[" + conf.get(KindlingConf.APP_NAME, "kindling") + ", " + threads + " threads]";
    }

    /** Map form of the configuration, for display. */
    Map<String, String> confMap() {
        return conf.getAll();
    }
}
