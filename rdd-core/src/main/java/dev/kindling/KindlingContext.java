package dev.kindling;

import dev.kindling.internal.hadoop.HadoopFiles;
import dev.kindling.internal.io.TextFileRDD;
import dev.kindling.internal.io.ObjectFileRDD;
import dev.kindling.internal.io.FsPath;
import dev.kindling.internal.io.PathSchemes;
import dev.kindling.internal.io.TextOutput;
import dev.kindling.internal.io.WholeFilesRDD;
import dev.kindling.internal.ContextInternals;
import dev.kindling.internal.eventlog.EventLogWriter;
import dev.kindling.internal.executor.BroadcastCache;
import dev.kindling.internal.executor.ExecutorEnv;
import dev.kindling.internal.cluster.ClassSource;
import dev.kindling.internal.cluster.ClusterBackend;
import dev.kindling.internal.cluster.ClusterKeys;
import dev.kindling.internal.cluster.ExecutorLauncher;
import dev.kindling.internal.cluster.ClusterSettings;
import dev.kindling.internal.cluster.LocalClusterMaster;
import dev.kindling.internal.cluster.SchedulerTaskSink;
import dev.kindling.internal.scheduler.backend.ExecutorBackend;
import dev.kindling.internal.rdd.CacheManager;
import dev.kindling.internal.rdd.CallSite;
import dev.kindling.internal.rdd.ClosureChecker;
import dev.kindling.internal.rdd.EmptyRDD;
import dev.kindling.internal.rdd.ParallelCollectionRDD;
import dev.kindling.internal.rdd.RangeRDD;
import dev.kindling.internal.rdd.UnionRDD;
import dev.kindling.internal.scheduler.DAGScheduler;
import dev.kindling.internal.scheduler.OutputCommitCoordinator;
import dev.kindling.scheduler.HashPartitioner;
import dev.kindling.internal.scheduler.JobHandle;
import dev.kindling.internal.scheduler.backend.LocalBackend;
import dev.kindling.internal.scheduler.backend.TaskSerialization;
import dev.kindling.scheduler.Partitioner;
import dev.kindling.scheduler.SchedulerListener;
import dev.kindling.internal.scheduler.TaskClosure;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.internal.storage.block.BlockManager;
import dev.kindling.internal.storage.memory.MemoryManager;
import dev.kindling.internal.storage.serializer.KryoSerializer;
import dev.kindling.internal.shuffle.SpillingShuffleStore;
import dev.kindling.internal.shuffle.ShuffleStore;
import dev.kindling.internal.shuffle.ExecutorLocation;
import dev.kindling.internal.shuffle.MapOutputTracker;
import dev.kindling.internal.shuffle.ShuffleBlockFetcher;
import dev.kindling.internal.shuffle.ShuffleReader;
import dev.kindling.internal.yarn.YarnLauncher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

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
    private final TaskClosure.Mode closureMode;
    private final DAGScheduler scheduler;
    private final ShuffleStore shuffleStore;
    private final CacheManager cacheManager;
    private final MemoryManager memoryManager;
    private final KryoSerializer serializer;
    private final BlockManager blockManager;
    private final TextOutput textOutput;
    /** Which task attempt commits each partition of a save; reached by tasks through their executor's env. */
    private final OutputCommitCoordinator outputCommits = new OutputCommitCoordinator();
    private final Path localDir;
    private final List<SchedulerListener> extraListeners;
    private final AtomicInteger nextRddId = new AtomicInteger();
    private final AtomicInteger nextShuffleId = new AtomicInteger();
    private static final AtomicLong NEXT_CONTEXT_ID = new AtomicLong();

    private final long contextId = NEXT_CONTEXT_ID.getAndIncrement();
    private final ContextCleaner cleaner = new ContextCleaner(Long.toString(contextId));
    private final Accumulators accumulators = new Accumulators(cleaner);
    private final BroadcastManager broadcasts = new BroadcastManager(cleaner);
    /** The local executor's broadcast cache, fed by {@link #broadcasts}. */
    private final BroadcastCache executorBroadcasts = new BroadcastCache(broadcasts);
    private final PersistentRdds persistent = new PersistentRdds();
    /** Local property holding the description of the jobs a thread submits (Spark's {@code spark.job.description}). */
    public static final String JOB_DESCRIPTION = "kindling.job.description";
    /** Local property holding the job group of the jobs a thread submits (Spark's {@code spark.jobGroup.id}). */
    public static final String JOB_GROUP_ID = "kindling.jobGroup.id";

    private final LocalProperties localProperties = new LocalProperties();
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.CountDownLatch closeDone = new java.util.concurrent.CountDownLatch(1);
    private volatile Thread closingThread;
    private volatile String checkpointDir;
    private final ContextInternals internals = new Internals();
    private final StatusTracker statusTracker = new StatusTracker();
    private final long startTime = System.currentTimeMillis();
    private final String appId = "local-" + startTime + "-" + contextId;
    private final EventLogWriter eventLog;

    KindlingContext(KindlingConf conf) {
        this.conf = conf;
        this.threads = conf.executorThreads();
        int maxFailures = conf.getInt(KindlingConf.TASK_MAX_FAILURES, conf.masterTaskMaxFailures());
        long shutdownTimeout = conf.getLong(KindlingConf.SHUTDOWN_TIMEOUT_MS, 10_000);
        long reaperPollingMillis = conf.taskReaperPollingMillis();
        long reaperKillTimeoutMillis = conf.taskReaperKillTimeoutMillis();
        List<Class<?>> listenerClasses = ExtraListeners.resolve(conf); // checked before anything starts
        long shuffleGcBytes = conf.getLong(ShuffleGcTrigger.MIN_BYTES, ShuffleGcTrigger.DEFAULT_MIN_BYTES);
        if (shuffleGcBytes < 0) {
            throw new IllegalArgumentException(ShuffleGcTrigger.MIN_BYTES + " must be 0 (off) or a number of bytes (got "
                    + shuffleGcBytes + ")");
        }
        EventLogWriter.Settings eventLogSettings = EventLogWriter.Settings.of(conf); // checked before anything starts
        long maxResultSize = ClusterKeys.maxResultSize(conf.getAll()); // checked before anything starts
        ClusterKeys.maxDirectResultSize(conf.getAll()); // read by executors; checked here, where a bad value is clear
        this.localDir = ScratchDirectory.create(conf);
        this.memoryManager = conf.contains(KindlingConf.MEMORY_BYTES)
                ? new MemoryManager(conf.getLong(KindlingConf.MEMORY_BYTES, 0))
                : MemoryManager.ofHeapFraction(conf.getDouble(KindlingConf.MEMORY_FRACTION, 0.6));
        this.serializer = KryoSerializer.builder().registrators(conf.get(KindlingConf.KRYO_REGISTRATOR, null)).build();
        this.blockManager = new BlockManager(memoryManager, serializer, localDir.resolve("blocks"));
        this.shuffleStore = new SpillingShuffleStore(memoryManager, serializer, localDir.resolve("shuffle"),
                conf.getBoolean(KindlingConf.SHUFFLE_FORCE_DISK, false));
        this.cacheManager = new CacheManager(blockManager);
        this.textOutput = new TextOutput(this, outputCommits);
        this.closureMode = TaskClosure.Mode.parse(KindlingConf.CLOSURE_COPY_PER_TASK,
                conf.get(KindlingConf.CLOSURE_COPY_PER_TASK, "true"));
        MapOutputTracker mapOutputTracker = new MapOutputTracker();
        // Local mode: one executor, the driver's own threads; every map output is in shuffleStore.
        ShuffleReader shuffleReader = new ShuffleReader(shuffleStore, mapOutputTracker, ExecutorLocation.DRIVER,
                ShuffleBlockFetcher.LOCAL_ONLY, serializer);
        ExecutorEnv env = new ExecutorEnv(ExecutorEnv.DRIVER_ID, threads, memoryManager, blockManager, shuffleStore,
                serializer, localDir, shuffleReader, outputCommits, executorBroadcasts);
        broadcasts.onInvalidate(executorBroadcasts::invalidate);
        LocalClusterMaster clusterMaster = conf.localCluster();
        ExecutorBackend backend;
        ClusterBackend clusterBackend = null;
        if (clusterMaster == null) {
            backend = new LocalBackend(env, reaperPollingMillis, reaperKillTimeoutMillis,
                    TaskSerialization.parse(conf.get(KindlingConf.TASK_SERIALIZATION, "auto")));
        } else {
            clusterBackend = startCluster(clusterMaster, mapOutputTracker);
            backend = clusterBackend;
        }
        this.scheduler = new DAGScheduler(backend, shuffleStore, mapOutputTracker, maxFailures, shutdownTimeout,
                closureMode, outputCommits, maxResultSize);
        if (clusterBackend != null) {
            ClusterBackend cluster = clusterBackend;
            cluster.onExecutorLost(scheduler::executorLost);
            // Executors that ran tasks using a broadcast drop their copy when the driver's is unpersisted or freed.
            broadcasts.onInvalidate(id -> cluster.removeBroadcast(id, true));
        }
        this.scheduler.addTaskOutcomeObserver(accumulators);
        this.scheduler.addListener(statusTracker.listener());
        if (shuffleGcBytes > 0) {
            this.scheduler.addListener(ShuffleGcTrigger.forThisJvm(shuffleGcBytes));
        }
        this.eventLog = eventLogSettings == null ? null
                : eventLogSettings.start(conf, appId, startTime, version()).orElse(null);
        if (eventLog != null) {
            scheduler.addListener(eventLog);
        }
        // Last: a listener taking the context (the status UI) gets one that is ready to run jobs.
        List<SchedulerListener> created;
        try {
            created = ExtraListeners.create(listenerClasses, conf, this);
        } catch (RuntimeException | Error e) {
            close(); // stops what started above; the listeners created so far are closed already
            throw e;
        }
        this.extraListeners = created;
        extraListeners.forEach(scheduler::addListener);
        ExecutorAnnouncements.start(scheduler, clusterBackend, threads); // every listener hears them
    }

    /**
     * Starts the executor processes of {@code local-cluster[E,C,M]} (they run {@link SchedulerTaskSink}s
     * and ask {@code tracker} where map outputs live); a failure to start deletes what this context made
     * so far and says which executor failed and why.
     */
    private ClusterBackend startCluster(LocalClusterMaster master, MapOutputTracker tracker) {
        ClusterSettings settings = ClusterSettings.of(master, conf.getAll(), localDir, SchedulerTaskSink.Factory.class.getName())
                .withMapStatuses(tracker)
                .withOutputCommits(outputCommits)
                .withBroadcasts(broadcasts::fetch)
                .withClasses(ClassSource.of(Thread.currentThread().getContextClassLoader()));
        try {
            if (conf.isYarn()) {
                return ClusterBackend.start(settings, yarnLauncher());
            }
            return ClusterBackend.start(settings);
        } catch (IOException | RuntimeException | NoClassDefFoundError e) {
            shuffleStore.close();
            blockManager.close();
            ScratchDirectory.delete(localDir);
            if (conf.isYarn()) {
                throw new IllegalStateException("Could not start executors on YARN: " + e.getMessage(), e);
            }
            throw new IllegalStateException("Could not start the executor processes of " + master + ": " + e.getMessage()
                    + " (check that a JVM can start with -Xmx" + master.memoryMb() + "m on this machine)", e);
        }
    }

    /** The launcher of {@code --master yarn}, or an error saying that Hadoop's client jars are missing. */
    private ExecutorLauncher yarnLauncher() {
        try {
            Class.forName("org.apache.hadoop.yarn.client.api.YarnClient", false, KindlingContext.class.getClassLoader());
            YarnLauncher.checkUsable(); // hadoop-client-api alone (a provided scope) is not a working client
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("master yarn needs Hadoop's client jars (hadoop-client-api and"
                    + " hadoop-client-runtime) on the class path: set HADOOP_HOME (bin/kindling adds them) or"
                    + " KINDLING_DIST_CLASSPATH=\"$(hadoop classpath)\"", e);
        }
        return YarnLauncher.forDriver(conf.getAll());
    }

    /**
     * This application's id, such as {@code local-1764671400000-0} (start time in epoch milliseconds,
     * then the context's number in this JVM); names its event log (kindling.eventLog.enabled).
     */
    public String applicationId() {
        return appId;
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

    /** Union of {@code rdds}; see {@link #union(List)}. */
    @SafeVarargs
    public final <T> RDD<T> union(RDD<T>... rdds) {
        return union(Arrays.asList(rdds));
    }

    /**
     * Concatenates the partitions of {@code rdds}; when they all share one partitioner, partition i
     * is the union of their partitions i and the partitioner is kept (as Spark).
     */
    public <T> RDD<T> union(List<RDD<T>> rdds) {
        checkOpen();
        if (rdds.isEmpty()) {
            return emptyRDD();
        }
        return UnionRDD.of(this, rdds);
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
        if (PathSchemes.viaHadoop(path)) {
            return HadoopFiles.textFile(this, path, minPartitions);
        }
        return TextFileRDD.create(this, path, minPartitions);
    }

    // ---- shared variables ----

    /**
     * Makes {@code value} available to tasks as a read-only {@link Broadcast} variable: serialized
     * once now, deserialized once for all tasks on first use. Capture the handle in functions and
     * call {@link Broadcast#value()}.
     *
     * @throws IllegalArgumentException if the value cannot be serialized
     */
    public <T> Broadcast<T> broadcast(T value) {
        checkOpen();
        return broadcasts.create(value);
    }

    /**
     * Registers a (user-defined) accumulator so tasks can add to it; see {@link AccumulatorV2} for
     * when updates count. Returns {@code accumulator}.
     *
     * @throws IllegalStateException if it is already registered
     */
    public <A extends AccumulatorV2<?, ?>> A register(A accumulator) {
        return register(accumulator, null);
    }

    /** Registers an accumulator under a name (shown by its {@code toString}); see {@link #register(AccumulatorV2)}. */
    public <A extends AccumulatorV2<?, ?>> A register(A accumulator, String name) {
        checkOpen();
        return accumulators.register(java.util.Objects.requireNonNull(accumulator, "accumulator"), name);
    }

    /** A new registered accumulator that sums longs and counts them. */
    public LongAccumulator longAccumulator() {
        return register(new LongAccumulator());
    }

    /** A new registered, named accumulator that sums longs and counts them. */
    public LongAccumulator longAccumulator(String name) {
        return register(new LongAccumulator(), name);
    }

    /** A new registered accumulator that sums doubles and counts them. */
    public DoubleAccumulator doubleAccumulator() {
        return register(new DoubleAccumulator());
    }

    /** A new registered, named accumulator that sums doubles and counts them. */
    public DoubleAccumulator doubleAccumulator(String name) {
        return register(new DoubleAccumulator(), name);
    }

    /** A new registered accumulator that collects values into a list. */
    public <T> CollectionAccumulator<T> collectionAccumulator() {
        return register(new CollectionAccumulator<>());
    }

    /** A new registered, named accumulator that collects values into a list. */
    public <T> CollectionAccumulator<T> collectionAccumulator(String name) {
        return register(new CollectionAccumulator<>(), name);
    }

    /** This context's id, unique in the JVM (broadcast handles carry it). */
    long contextId() {
        return contextId;
    }

    /**
     * The elements saved with {@link RDD#saveAsObjectFile(String)} under {@code path}: one partition
     * per part file. Elements must be of classes this JVM can load.
     */
    public <T> RDD<T> objectFile(String path) {
        checkOpen();
        return ObjectFileRDD.create(this, path);
    }

    /**
     * Each file of a path, directory, glob or comma list as {@code (file:/abs/path, text)}, or
     * {@code (hdfs://nn:8020/path, text)} on a Hadoop file system; see {@link WholeFilesRDD}.
     */
    public PairRDD<String, String> wholeTextFiles(String path) {
        return wholeTextFiles(path, Math.min(defaultParallelism(), 2));
    }

    /** Like {@link #wholeTextFiles(String)}, files packed up to {@code ceil(totalBytes / minPartitions)} bytes a partition (one file never splits). */
    public PairRDD<String, String> wholeTextFiles(String path, int minPartitions) {
        checkOpen();
        return new PairRDD<>(WholeFilesRDD.text(this, path, minPartitions));
    }

    /** Each file of a path, directory, glob or comma list as {@code (file:/abs/path, bytes)} (or its URI on HDFS). */
    public PairRDD<String, byte[]> binaryFiles(String path) {
        return binaryFiles(path, Math.min(defaultParallelism(), 2));
    }

    /** Like {@link #binaryFiles(String)}, files packed as Spark's {@code binaryFiles} (see {@link WholeFilesRDD}). */
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
        return runJob(rdd, task, partitions, true);
    }

    @SuppressWarnings("unchecked")
    private <T, U> List<U> runJob(RDD<T> rdd, PartitionTask<T, U> task, int[] partitions, boolean copyPerTask) {
        NestedRddOperationException.checkDriver("running a job on", rdd);
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
        JobPreparation.prepareLineage(rdd);
        Object[] results = new Object[partitions.length];
        dev.kindling.internal.scheduler.TaskFunction<U> function;
        if (copyPerTask) {
            TaskClosure<PartitionTask<T, U>> copies = copyClosures(task);
            function = (ctx, it) -> copies.get(ctx).apply(ctx, (Iterator<T>) it);
        } else {
            function = (ctx, it) -> task.apply(ctx, (Iterator<T>) it);
        }
        Map<String, String> properties = localProperties.snapshot();
        String description = properties.get(JOB_DESCRIPTION);
        if (description == null) {
            description = CallSite.capture();
        }
        FutureAction<?> async = FutureAction.current();
        if (async == null) {
            scheduler.runJob(rdd, partitions, function, (index, result) -> results[index] = result, description,
                    properties.get(JOB_GROUP_ID), properties);
        } else { // an asynchronous action's thread: its FutureAction may cancel the job
            // The action knows the job before its tasks start (jobIds() is complete while they run).
            JobHandle job = scheduler.submitJob(rdd, partitions, function, (index, result) -> results[index] = result,
                    description, properties.get(JOB_GROUP_ID), properties, async::jobCreated);
            async.jobSubmitted(job);
            job.await();
        }
        JobPreparation.checkpointLineage(rdd);
        List<U> list = new ArrayList<>(results.length);
        for (Object r : results) {
            list.add((U) r);
        }
        return list;
    }

    /**
     * The job's function as tasks receive it: serialized once now, deserialized once per task
     * attempt (see {@link TaskClosure}), unless {@value KindlingConf#CLOSURE_COPY_PER_TASK} is false.
     */
    private <F> TaskClosure<F> copyClosures(F task) {
        try {
            return TaskClosure.snapshotNow(task, closureMode);
        } catch (IllegalArgumentException e) {
            ClosureChecker.check(task, () -> "runJob at " + CallSite.capture()); // names the culprit when it can
            throw e;
        }
    }

    /** What a job computes from one partition. */
    @FunctionalInterface
    public interface PartitionTask<T, U> extends java.io.Serializable {
        /** Computes the partition's result from its elements. */
        U apply(TaskContext context, Iterator<T> partition) throws Exception;
    }

    /**
     * Sets the directory under which {@link RDD#checkpoint()} writes; a unique subdirectory is
     * created in it for this context ({@code <dir>/<unique>/rdd-<id>/part-NNNNN}).
     *
     * <p>{@code dir} may be on the local disk (a plain path or {@code file:} URI) or, with Hadoop's client
     * on the class path, on another file system ({@code hdfs://nn/checkpoints}).
     *
     * @throws IllegalArgumentException if {@code dir} names a file system that cannot be reached
     *         (no Hadoop client on the class path), before anything is created
     */
    public void setCheckpointDir(String dir) {
        FsPath base = FsPath.of(dir, "Checkpoint directory");
        try {
            if (!base.local()) {
                FsPath unique = base.resolve("kindling-checkpoint-" + java.util.UUID.randomUUID());
                base.fs().createDirectories(unique.path());
                checkpointDir = unique.toString();
                return;
            }
            Files.createDirectories(base.path());
            checkpointDir = Files.createTempDirectory(base.path(), "kindling-checkpoint-").toString();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the checkpoint directory under " + dir + ": " + e.getMessage()
                    + "; choose a writable directory", e);
        }
    }

    /** The directory checkpoints are written to, once set. */
    public Optional<String> getCheckpointDir() {
        return Optional.ofNullable(checkpointDir);
    }

    /**
     * Marks all jobs started from the current thread (and threads it starts afterwards) as part of
     * {@code groupId}, and sets their description, as Spark's {@code setJobGroup}: the local
     * properties {@value #JOB_GROUP_ID} and {@value #JOB_DESCRIPTION}.
     */
    public void setJobGroup(String groupId, String description) {
        localProperties.set(JOB_DESCRIPTION, description);
        localProperties.set(JOB_GROUP_ID, groupId);
    }

    /** Clears the current thread's job group and job description. */
    public void clearJobGroup() {
        localProperties.set(JOB_DESCRIPTION, null);
        localProperties.set(JOB_GROUP_ID, null);
    }

    /**
     * Sets a local property of the calling thread (null removes it), as Spark's
     * {@code setLocalProperty}: jobs submitted from this thread capture its properties at submission
     * and their tasks read them with {@link TaskContext#getLocalProperty}. Threads started afterwards
     * by this thread begin with a copy of its properties.
     */
    public void setLocalProperty(String key, String value) {
        localProperties.set(key, value);
    }

    /** The calling thread's local property {@code key}, or null if it is not set. */
    public String getLocalProperty(String key) {
        return localProperties.get(key);
    }

    /**
     * Sets the description of the jobs this thread submits (the local property
     * {@value #JOB_DESCRIPTION}), shown in {@code SchedulerEvent.JobStart} instead of the call site;
     * null clears it.
     */
    public void setJobDescription(String description) {
        localProperties.set(JOB_DESCRIPTION, description);
    }

    /**
     * Sets the root log level, as Spark's {@code setLogLevel}: one of ALL, DEBUG, ERROR, FATAL, INFO,
     * OFF, TRACE, WARN, in any case. It acts on the logging backend SLF4J is bound to when that backend
     * can change levels at run time ({@code java.util.logging} through slf4j-jdk14, which
     * {@code bin/kindling} ships); with another backend it changes nothing and logs a warning that
     * says how to set the level there. It affects every logger of the JVM, not only this context's.
     *
     * @throws IllegalArgumentException if {@code level} is not one of those names
     */
    public void setLogLevel(String level) {
        LogLevels.set(level);
    }

    /** Cancels the active jobs of a group: their running tasks are interrupted and the jobs fail with a cancellation. */
    public void cancelJobGroup(String groupId) {
        scheduler.cancelJobGroup(groupId, "job group " + groupId + " was cancelled");
    }

    /**
     * Cancels one job, as Spark's {@code cancelJob}: its running tasks are interrupted and it fails with
     * a cancellation. Nothing happens if the job already ended (or never existed).
     */
    public void cancelJob(int jobId) {
        scheduler.cancelJob(jobId, "job " + jobId + " was cancelled");
    }

    /** Cancels every active job. The context stays usable. */
    public void cancelAllJobs() {
        scheduler.cancelAllJobs("cancelAllJobs() was called");
    }

    /**
     * The progress of this context's jobs and stages (active ids, job groups, task counts), as
     * Spark's {@code statusTracker()}; it keeps the last {@value StatusTracker#RETAINED_JOBS} finished jobs.
     */
    public StatusTracker statusTracker() {
        return statusTracker;
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

    static {
        ContextInternals.installAccess(context -> context.internals);
    }

    /** What {@link ContextInternals#of} returns: the internals kept off this class's public surface. */
    private final class Internals extends ContextInternals {
        @Override
        public DAGScheduler scheduler() {
            return scheduler;
        }

        @Override
        public ShuffleStore shuffleStore() {
            return shuffleStore;
        }

        @Override
        protected KindlingContext context() {
            return KindlingContext.this;
        }

        @Override
        public BlockManager blockManager() {
            return blockManager;
        }

        @Override
        public int newShuffleId(RDD<?> owner) {
            int id = nextShuffleId.getAndIncrement();
            cleaner.registerShuffle(owner, shuffleStore, scheduler.mapOutputTracker(), id);
            return id;
        }

        @Override
        public OutputCommitCoordinator outputCommits() {
            return outputCommits;
        }

        @Override
        public MemoryManager memoryManager() {
            return memoryManager;
        }

        @Override
        public KryoSerializer serializer() {
            return serializer;
        }

        @Override
        public Partitioner defaultPartitioner(List<RDD<?>> rdds) {
            return KindlingContext.this.defaultPartitioner(rdds);
        }

        @Override
        public <T, U> List<U> runInternalJob(RDD<T> rdd, PartitionTask<T, U> task, int[] partitions) {
            return runJob(rdd, task, partitions, false);
        }
    }

    /** The context's accumulators (for tests of their lifecycle). */
    Accumulators accumulators() {
        return accumulators;
    }

    /** The driver's broadcast variables (for tests of their lifecycle). */
    BroadcastManager broadcastManager() {
        return broadcasts;
    }

    /** The local executor's broadcast cache (for tests of the executors' copies). */
    BroadcastCache executorBroadcasts() {
        return executorBroadcasts;
    }

    /** The cache of persisted partitions. */
    CacheManager cacheManager() {
        return cacheManager;
    }

    /** The memory budget shared by execution and cached blocks (for others: {@link ContextInternals}). */
    MemoryManager memoryManager() {
        return memoryManager;
    }

    /** The Kryo serializer of disk blocks, spills, checkpoints, object files (for others: {@link ContextInternals}). */
    KryoSerializer serializer() {
        return serializer;
    }

    /**
     * What the cache holds for each persisted RDD: partitions and bytes in memory and on disk, and
     * cache hits, misses and evictions, in RDD id order. RDDs with nothing stored yet are listed with zeros.
     */
    public List<RDDStorageInfo> getRDDStorageInfo() {
        return persistent.storageInfo(blockManager);
    }

    /**
     * The RDDs that have a storage level set by {@code persist}/{@code cache} and not unpersisted,
     * by RDD id, as Spark's {@code getPersistentRDDs}; an unmodifiable snapshot.
     */
    public Map<Integer, RDD<?>> getPersistentRDDs() {
        return persistent.snapshot();
    }

    /**
     * Drops the cached partitions of RDD {@code rddId} from the driver's block manager and from every
     * executor that holds one (on {@code local-cluster}), waiting until they did.
     */
    void removeCachedBlocks(int rddId) {
        cacheManager.remove(rddId);
        if (!closed) {
            scheduler.removeRdd(rddId);
        }
    }

    void registerPersistent(RDD<?> rdd, boolean persisted) {
        persistent.register(rdd, persisted);
    }

    TextOutput textOutput() {
        return textOutput;
    }

    int newRddId() {
        return nextRddId.getAndIncrement();
    }

    /**
     * The partitioner used when an operation on {@code rdds} is given none, as Spark's
     * {@code Partitioner.defaultPartitioner}: the partitioner of the input with the most partitions
     * among those that have one, if its count is within 10x of the largest input's count or not
     * smaller than the default count; else a hash partitioner over the default count
     * ({@code kindling.default.parallelism} when set, else the largest input's partition count, so
     * 0 for inputs without partitions, as in Spark).
     */
    Partitioner defaultPartitioner(List<RDD<?>> rdds) {
        int maxPartitions = rdds.stream().mapToInt(RDD::numPartitions).max().orElseThrow();
        RDD<?> withPartitioner = rdds.stream()
                .filter(r -> r.partitioner().filter(p -> p.numPartitions() > 0).isPresent())
                .max(Comparator.comparingInt(RDD::numPartitions)).orElse(null);
        int defaultCount = conf.contains(KindlingConf.DEFAULT_PARALLELISM) ? defaultParallelism() : maxPartitions;
        if (withPartitioner != null) {
            int existing = withPartitioner.numPartitions();
            boolean eligible = Math.log10(maxPartitions) - Math.log10(existing) < 1;
            if (eligible || defaultCount <= existing) {
                return withPartitioner.partitioner().get();
            }
        }
        return new HashPartitioner(defaultCount);
    }

    // ---- lifecycle ----

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * The address of this context's status web UI as it was printed at start (Spark's
     * {@code uiWebUrl}), such as {@code http://127.0.0.1:4040}; empty when {@code kindling.ui.enabled}
     * is off or the UI could not bind a port.
     */
    public Optional<String> uiWebUrl() {
        List<SchedulerListener> listeners = extraListeners; // null while the listeners are being created
        if (listeners != null) {
            for (SchedulerListener l : listeners) {
                if (l instanceof dev.kindling.internal.util.WebUiAddress ui && ui.url() != null) {
                    return Optional.of(ui.url());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Kindling's version, such as {@code 0.1.0-SNAPSHOT} (Spark's {@code version()}), from the
     * {@code dev/kindling/kindling-version.properties} resource written by the build.
     */
    public String version() {
        return VersionHolder.VERSION;
    }

    /** Reads the version resource once, on first use. */
    private static final class VersionHolder {
        static final String VERSION = read();

        private static String read() {
            String resource = "kindling-version.properties";
            try (var in = KindlingContext.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("Resource dev/kindling/" + resource + " is missing from the "
                            + "classpath; rebuild kindling-rdd-core with Maven so it is generated");
                }
                var props = new java.util.Properties();
                props.load(in);
                return props.getProperty("version", "unknown");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("Cannot read dev/kindling/" + resource, e);
            }
        }
    }

    /** Spark's name for {@link #close()}. */
    public void stop() {
        close();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("This KindlingContext is closed; create a new one with Kindling.local()");
        }
    }

    /**
     * Cancels running jobs, stops the executor threads, removes the temporary files of saves in
     * progress and deletes the scratch directory. Idempotent; a second caller while a close is in
     * progress (such as the JVM shutdown hook, see {@link ContextShutdownHook}) waits for it, at most
     * twice {@value KindlingConf#SHUTDOWN_TIMEOUT_MS}.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            awaitClosed();
            return;
        }
        closed = true;
        closingThread = Thread.currentThread();
        try {
            scheduler.close();
            if (eventLog != null) {
                eventLog.close(shutdownTimeoutMillis()); // after the scheduler's last event
            }
            // Saves cut short by the close leave no temporary or partial output behind.
            textOutput.abortActive(conf.getLong(KindlingConf.SHUTDOWN_TIMEOUT_MS, 10_000));
            accumulators.close();
            cleaner.close(); // frees the broadcasts and shuffles still registered
            broadcasts.close();
            executorBroadcasts.clear();
            ExtraListeners.close(extraListeners);
            shuffleStore.close();
            cacheManager.clear();
            blockManager.close();
            ScratchDirectory.delete(localDir);
        } finally {
            ContextShutdownHook.unregister(this);
            closeDone.countDown();
        }
    }

    private long shutdownTimeoutMillis() {
        return conf.getLong(KindlingConf.SHUTDOWN_TIMEOUT_MS, 10_000);
    }

    private void awaitClosed() {
        if (closingThread == Thread.currentThread()) {
            return; // close() called again from within close (a listener's close)
        }
        try {
            closeDone.await(2 * conf.getLong(KindlingConf.SHUTDOWN_TIMEOUT_MS, 10_000) + 1_000,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
