package dev.kindling;

import dev.kindling.internal.shuffle.MapOutputTracker;
import dev.kindling.internal.cluster.ClusterKeys;
import dev.kindling.internal.scheduler.backend.LocalityWait;
import dev.kindling.internal.cluster.LocalClusterMaster;
import dev.kindling.internal.eventlog.EventLogWriter;
import dev.kindling.internal.io.Pipe;
import dev.kindling.internal.io.TextFileRDD;
import dev.kindling.internal.network.NetworkConfig;
import dev.kindling.internal.util.EditDistance;
import dev.kindling.internal.util.StatusUiKeys;
import dev.kindling.internal.yarn.YarnKeys;

import dev.kindling.internal.scheduler.backend.TaskSerialization;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A context's configuration: string keys ({@code kindling.*}) with typed getters and defaults. The
 * keys are accepted by {@link Kindling.Builder#config}, by {@code bin/kindling --conf key=value},
 * and as JVM system properties ({@code -Dkindling.task.maxFailures=2}), which the builder reads
 * first.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value #MASTER}</td><td>local[*]</td><td>{@code local}, {@code local[N]}, {@code local[*]}: executor threads, one
 *       attempt per task; {@code local[N,F]}, {@code local[*,F]}: F attempts per task; {@code local-cluster[E,C,M]}: E
 *       executor processes of C task slots and M MiB of heap, 4 attempts per task</td></tr>
 *   <tr><td>{@value #APP_NAME}</td><td>kindling</td><td>shown in logs and the shell banner</td></tr>
 *   <tr><td>{@value #DEFAULT_PARALLELISM}</td><td>executor threads</td><td>default partition count of parallelize and shuffles</td></tr>
 *   <tr><td>{@value #TASK_MAX_FAILURES}</td><td>from the master: 1, F of local[N,F], 4 on local-cluster</td><td>attempts per task before
 *       the job fails; overrides the master's</td></tr>
 *   <tr><td>{@value #TASK_REAPER_POLLING_INTERVAL_MS}</td><td>2000</td><td>after a kill, how long (and then how often)
 *       until a task still running is logged with its stack and its executor slot goes to a new thread</td></tr>
 *   <tr><td>{@value #TASK_REAPER_KILL_TIMEOUT_MS}</td><td>0 (none)</td><td>after how long a killed task still running is
 *       logged as an error (the JVM is never exited)</td></tr>
 *   <tr><td>{@value #SHUTDOWN_TIMEOUT_MS}</td><td>10000</td><td>how long close() waits for running tasks</td></tr>
 *   <tr><td>{@value #LOCAL_DIR}</td><td>java.io.tmpdir</td><td>where the context's scratch directory is made (removed at close)</td></tr>
 *   <tr><td>{@value #SHOW_CONSOLE_PROGRESS}</td><td>true</td><td>progress bar on a terminal's stderr</td></tr>
 *   <tr><td>{@value #OUTPUT_OVERWRITE}</td><td>false</td><td>let save operations replace an existing output directory
 *       (a previous output; never the root, home, current directory or a parent of it, or an input of the job)</td></tr>
 *   <tr><td>{@value #OUTPUT_OVERWRITE_FORCE}</td><td>false</td><td>with overwrite, also replace a directory that is not a
 *       previous output (no {@code _SUCCESS} and not empty)</td></tr>
 *   <tr><td>{@value #INPUT_REQUIRE_SUCCESS_MARKER}</td><td>false</td><td>reading an output directory with part files but
 *       no {@code _SUCCESS} is an error instead of a warning</td></tr>
 *   <tr><td>{@value #CLOSURE_COPY_PER_TASK}</td><td>true</td><td>each task attempt runs its own deserialized copy of
 *       the functions it calls, as on a cluster; false lets tasks share the driver's function objects;
 *       always copies even functions that cannot change</td></tr>
 *   <tr><td>{@value #TASK_SERIALIZATION}</td><td>auto</td><td>local mode: {@code always} encodes and decodes every task
 *       description, task binary, result, accumulator update and failure as a remote executor does;
 *       {@code auto} skips the copies whose result is provably the same</td></tr>
 *   <tr><td>{@value #EXTRA_LISTENERS}</td><td></td><td>comma-separated SchedulerListener classes to register at start</td></tr>
 *   <tr><td>{@value #MEMORY_FRACTION}</td><td>0.6</td><td>share of the max heap for execution and cached blocks</td></tr>
 *   <tr><td>{@value #MEMORY_BYTES}</td><td>unset</td><td>absolute memory budget in bytes (overrides the fraction)</td></tr>
 *   <tr><td>{@value #KRYO_REGISTRATOR}</td><td>unset</td><td>comma-separated KryoRegistrator class names</td></tr>
 *   <tr><td>kindling.eventLog.enabled, .dir, .compress, .queueCapacity</td><td>false, /tmp/kindling-events, true, 100000</td><td>write
 *       every scheduler event as a JSON line to {@code <dir>/<applicationId>} (see README.md, "Event log")</td></tr>
 * </table>
 */
public final class KindlingConf {

    /** Executor threads: {@code local}, {@code local[N]} or {@code local[*]}; {@code local[N,F]} also sets F attempts per task. */
    public static final String MASTER = "kindling.master";
    /** Application name. */
    public static final String APP_NAME = "kindling.app.name";
    /** Default number of partitions for parallelize and shuffles. */
    public static final String DEFAULT_PARALLELISM = "kindling.default.parallelism";
    /** Attempts per task before its job fails; default from the master (1 for local masters, as Spark). */
    public static final String TASK_MAX_FAILURES = "kindling.task.maxFailures";
    /**
     * Milliseconds after a task is killed (and then between reports) until, if its thread is still
     * running it, the task is logged with its thread's stack and its executor slot is handed to a new
     * thread, as Spark's {@code spark.task.reaper.pollingInterval}.
     */
    public static final String TASK_REAPER_POLLING_INTERVAL_MS = "kindling.task.reaper.pollingIntervalMs";
    /**
     * Milliseconds after which a killed task that is still running is logged as an error, as Spark's
     * {@code spark.task.reaper.killTimeout}; 0 (the default) for never. Local mode never exits the JVM.
     */
    public static final String TASK_REAPER_KILL_TIMEOUT_MS = "kindling.task.reaper.killTimeoutMs";
    /** Milliseconds close() waits for running tasks before abandoning them. */
    public static final String SHUTDOWN_TIMEOUT_MS = "kindling.executor.shutdownTimeoutMs";
    /** Parent directory of the context's scratch directory. */
    public static final String LOCAL_DIR = "kindling.local.dir";
    /** Whether to draw a progress bar on a terminal. */
    public static final String SHOW_CONSOLE_PROGRESS = "kindling.ui.showConsoleProgress";
    /** Whether save operations may replace an existing output directory. */
    public static final String OUTPUT_OVERWRITE = "kindling.output.overwrite";
    /**
     * With {@link #OUTPUT_OVERWRITE}, whether a save may also replace a directory that is not a
     * previous output (one without {@code _SUCCESS} that is not empty).
     */
    public static final String OUTPUT_OVERWRITE_FORCE = "kindling.output.overwrite.force";
    /**
     * Whether reading a directory that holds {@code part-*} files but no {@code _SUCCESS} marker (its
     * writer failed, was killed or is still writing) fails instead of logging a warning.
     */
    public static final String INPUT_REQUIRE_SUCCESS_MARKER = "kindling.input.requireSuccessMarker";
    /** Comma-separated {@code SchedulerListener} class names, created and registered when a context starts. */
    public static final String EXTRA_LISTENERS = "kindling.extraListeners";

    /**
     * Whether each task attempt runs its own deserialized copy of the functions it calls, as on a
     * cluster: {@code true} (functions that provably never change are shared), {@code false} or
     * {@code always}.
     */
    public static final String CLOSURE_COPY_PER_TASK = "kindling.closure.copyPerTask";

    /**
     * Whether local mode serializes what crosses the task boundary: {@code auto} (hand objects over
     * where the result is provably the same) or {@code always} (exactly as to a remote executor).
     */
    public static final String TASK_SERIALIZATION = TaskSerialization.KEY;

    /** Share of the JVM's maximum heap used as the memory budget (execution plus cached blocks). */
    public static final String MEMORY_FRACTION = "kindling.memory.fraction";
    /** Absolute memory budget in bytes; overrides {@link #MEMORY_FRACTION}. */
    public static final String MEMORY_BYTES = "kindling.memory.bytes";
    /** Comma-separated class names of {@code dev.kindling.storage.KryoRegistrator}s. */
    public static final String KRYO_REGISTRATOR = "kindling.kryo.registrator";
    /**
     * For tests: when true every shuffle map output is written to disk, so every shuffled record is
     * serialized with Kryo (a record type Kryo cannot handle fails at once, not first when a job spills).
     */
    public static final String SHUFFLE_FORCE_DISK = "kindling.shuffle.forceDisk";

    /**
     * Every {@code kindling.*} key that Kindling itself reads ({@code kindling.cli.trace} is read by
     * the command line). A key of the namespace outside this set is reported by
     * {@link #unknownKeyWarnings()}.
     */
    static final Set<String> KNOWN_KEYS = Set.of(MASTER, APP_NAME, DEFAULT_PARALLELISM, TASK_MAX_FAILURES,
            SHUTDOWN_TIMEOUT_MS, LOCAL_DIR, SHOW_CONSOLE_PROGRESS, OUTPUT_OVERWRITE, OUTPUT_OVERWRITE_FORCE,
            INPUT_REQUIRE_SUCCESS_MARKER, EXTRA_LISTENERS, CLOSURE_COPY_PER_TASK, TASK_SERIALIZATION, MEMORY_FRACTION, MEMORY_BYTES,
            KRYO_REGISTRATOR, SHUFFLE_FORCE_DISK, ShuffleGcTrigger.MIN_BYTES, MapOutputTracker.REDUCE_LOCALITY_ENABLED, TextFileRDD.SPLIT_SIZE,
            TASK_REAPER_POLLING_INTERVAL_MS, TASK_REAPER_KILL_TIMEOUT_MS, Pipe.TIMEOUT_MS, "kindling.cli.trace",
            NetworkConfig.MAX_FRAME_BYTES, NetworkConfig.TIMEOUT_MS, NetworkConfig.MAX_BYTES_IN_FLIGHT,
            NetworkConfig.CRYPTO_ENABLED, ClusterKeys.HEARTBEAT_INTERVAL_MS, ClusterKeys.DRIVER_HOST, ClusterKeys.EXECUTOR_HOST,
            LocalityWait.WAIT, LocalityWait.WAIT_PROCESS, LocalityWait.WAIT_NODE,
            ClusterKeys.EXECUTOR_EXTRA_JAVA_OPTIONS, ClusterKeys.LOCAL_CLUSTER_EXECUTOR_HOSTS, ClusterKeys.MAX_DIRECT_RESULT_SIZE, ClusterKeys.MAX_RESULT_SIZE,
            EventLogWriter.ENABLED, EventLogWriter.DIR, EventLogWriter.COMPRESS,
            EventLogWriter.QUEUE_CAPACITY, StatusUiKeys.ENABLED, StatusUiKeys.HOST, StatusUiKeys.PORT,
            StatusUiKeys.TOKEN, StatusUiKeys.TOKEN_REQUIRED, StatusUiKeys.KILL_ENABLED, StatusUiKeys.RETAINED_JOBS,
            StatusUiKeys.RETAINED_STAGES, StatusUiKeys.RETAINED_TASKS, YarnKeys.INSTANCES, YarnKeys.CORES, YarnKeys.MEMORY,
            YarnKeys.MEMORY_OVERHEAD, YarnKeys.QUEUE, YarnKeys.TAGS, YarnKeys.MAX_EXECUTOR_FAILURES, YarnKeys.AM_MEMORY,
            YarnKeys.REGISTRATION_TIMEOUT_MS, YarnKeys.DRIVER_MEMORY, YarnKeys.DRIVER_MEMORY_OVERHEAD);

    /** Attempts per task on {@code local-cluster}, as Spark's default {@code spark.task.maxFailures}. */
    static final int CLUSTER_TASK_MAX_FAILURES = 4;
    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:\\s*,\\s*(\\d+))?])?");

    private final Map<String, String> values;

    KindlingConf(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * One warning for each set {@code kindling.*} key that Kindling does not read (a misspelt key
     * would otherwise be ignored in silence), naming the nearest known key. A listener of
     * {@value #EXTRA_LISTENERS} that reads keys of its own should give them another prefix.
     */
    public List<String> unknownKeyWarnings() {
        List<String> warnings = new ArrayList<>();
        for (String key : values.keySet()) {
            if (key.startsWith("kindling.") && !KNOWN_KEYS.contains(key) && !key.startsWith(YarnKeys.HADOOP_PREFIX)) {
                String nearest = KNOWN_KEYS.stream()
                        .min(Comparator.comparingInt((String k) -> EditDistance.between(k.toLowerCase(), key.toLowerCase()))
                                .thenComparing(Comparator.naturalOrder()))
                        .orElseThrow();
                warnings.add("Unknown configuration key " + key + " is ignored; did you mean " + nearest
                        + "? (the README's Configuration keys table lists every key)");
            }
        }
        return warnings;
    }

    /** The value of {@code key}, or {@code defaultValue} when unset. */
    public String get(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    /** Whether {@code key} is set. */
    public boolean contains(String key) {
        return values.containsKey(key);
    }

    /** The value of {@code key} as an int; fails with a message naming the key if it is not a number. */
    public int getInt(String key, int defaultValue) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer (got \"" + v + "\")", e);
        }
    }

    /** The value of {@code key} as a long. */
    public long getLong(String key, long defaultValue) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer (got \"" + v + "\")", e);
        }
    }

    /** The value of {@code key} as a boolean ({@code true}/{@code false}). */
    public boolean getBoolean(String key, boolean defaultValue) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new IllegalArgumentException(key + " must be true or false (got \"" + v + "\")");
    }

    /** The value of {@code key} as a double. */
    public double getDouble(String key, double defaultValue) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number (got \"" + v + "\")", e);
        }
    }

    /**
     * The executor processes {@value #MASTER} asks for when it is {@code local-cluster[E,C,M]}; null for a
     * local master. A malformed local-cluster URL is an error showing the expected form.
     */
    LocalClusterMaster localCluster() {
        String master = get(MASTER, "local[*]").trim();
        if (YarnKeys.isYarn(master)) {
            // The executors' shape: kindling.executor.instances, .cores and .memory (heap; at least the
            // smallest a local-cluster executor may have).
            Map<String, String> all = getAll();
            return new LocalClusterMaster(YarnKeys.instances(all), YarnKeys.cores(all),
                    Math.max(LocalClusterMaster.MIN_MEMORY_MB, YarnKeys.memoryMb(all)));
        }
        return LocalClusterMaster.isLocalCluster(master) ? LocalClusterMaster.parse(master) : null;
    }

    /** Whether {@value #MASTER} is {@code yarn}: executors in YARN containers. */
    boolean isYarn() {
        return YarnKeys.isYarn(get(MASTER, "local[*]"));
    }

    /** Number of task slots that {@value #MASTER} asks for: N of local[N], E*C of local-cluster[E,C,M]. */
    public int executorThreads() {
        String master = get(MASTER, "local[*]").trim();
        if (LocalClusterMaster.isLocalCluster(master) || YarnKeys.isYarn(master)) {
            return localCluster().totalCores();
        }
        Matcher m = LOCAL.matcher(master);
        if (!m.matches()) {
            throw new IllegalArgumentException(MASTER + " must be local, local[N], local[*], local[N,F], local[*,F]"
                    + " local-cluster[E,C,M] or yarn (got \"" + master + "\")");
        }
        if (m.group(1) == null) {
            return 1;
        }
        if (m.group(1).equals("*")) {
            return Runtime.getRuntime().availableProcessors();
        }
        int n = Integer.parseInt(m.group(1));
        if (n < 1) {
            throw new IllegalArgumentException(MASTER + " needs at least 1 thread (got \"" + master + "\")");
        }
        return n;
    }

    /**
     * Attempts per task that {@value #MASTER} implies, as Spark's local mode: 1 for {@code local},
     * {@code local[N]} and {@code local[*]}; F for {@code local[N,F]} and {@code local[*,F]}; 4 for
     * {@code local-cluster[E,C,M]} (as Spark's default for cluster masters, so a task whose executor was
     * lost runs again). {@value #TASK_MAX_FAILURES}, when set, overrides it.
     */
    public int masterTaskMaxFailures() {
        executorThreads();  // validates the master
        if (localCluster() != null) {
            return CLUSTER_TASK_MAX_FAILURES;
        }
        Matcher m = LOCAL.matcher(get(MASTER, "local[*]").trim());
        if (!m.matches() || m.group(2) == null) {
            return 1;
        }
        int f;
        try {
            f = Integer.parseInt(m.group(2));
        } catch (NumberFormatException e) {
            f = 0;
        }
        if (f < 1) {
            throw new IllegalArgumentException(MASTER + " local[N,F] needs F (attempts per task) >= 1 (got \""
                    + get(MASTER, "") + "\")");
        }
        return f;
    }

    /**
     * {@value #TASK_REAPER_POLLING_INTERVAL_MS}: milliseconds, at least 1; default
     * {@link dev.kindling.internal.executor.ExecutorThreadPool#defaultReaperPollingMillis()}.
     */
    public long taskReaperPollingMillis() {
        long ms = getLong(TASK_REAPER_POLLING_INTERVAL_MS, dev.kindling.internal.executor.ExecutorThreadPool.defaultReaperPollingMillis());
        if (ms < 1) {
            throw new IllegalArgumentException(TASK_REAPER_POLLING_INTERVAL_MS + " must be at least 1 ms (got " + ms
                    + "); it is how long a killed task may keep running before its slot goes to a new thread");
        }
        return ms;
    }

    /** {@value #TASK_REAPER_KILL_TIMEOUT_MS}: milliseconds, 0 (the default) for no timeout. */
    public long taskReaperKillTimeoutMillis() {
        long ms = getLong(TASK_REAPER_KILL_TIMEOUT_MS, 0);
        if (ms < 0) {
            throw new IllegalArgumentException(TASK_REAPER_KILL_TIMEOUT_MS + " must be 0 (no timeout) or positive (got "
                    + ms + ")");
        }
        return ms;
    }

    /** All set keys and values. */
    public Map<String, String> getAll() {
        return values;
    }

    @Override
    public String toString() {
        return "KindlingConf" + values;
    }
}
