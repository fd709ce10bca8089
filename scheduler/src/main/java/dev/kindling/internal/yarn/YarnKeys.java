package dev.kindling.internal.yarn;

import java.util.Locale;
import java.util.Map;

/**
 * The configuration keys of {@code --master yarn} and reading them with checks. Refers to no Hadoop
 * class, so a local master never needs Hadoop's jars to read its configuration.
 */
public final class YarnKeys {

    /** The master URL that runs executors in YARN containers. */
    public static final String MASTER = "yarn";
    /** Number of executor containers; default {@value #DEFAULT_INSTANCES}. */
    public static final String INSTANCES = "kindling.executor.instances";
    /** Task slots (and YARN vcores) of each executor; default 1. */
    public static final String CORES = "kindling.executor.cores";
    /** Heap of each executor, such as {@code 1g} or {@code 512m}; default {@value #DEFAULT_MEMORY}. */
    public static final String MEMORY = "kindling.executor.memory";
    /** Memory of each container beyond the heap; default max(384 MiB, 10% of the heap), as Spark. */
    public static final String MEMORY_OVERHEAD = "kindling.executor.memoryOverhead";
    /** The YARN queue to submit to; default {@code default}. */
    public static final String QUEUE = "kindling.yarn.queue";
    /** The application's name, as YARN shows it; default {@code kindling}. */
    public static final String APP_NAME = "kindling.app.name";
    /** Comma-separated YARN application tags; default none. */
    public static final String TAGS = "kindling.yarn.tags";
    /** Executor containers that may fail before the application fails; default max(2 x instances, 3), as Spark. */
    public static final String MAX_EXECUTOR_FAILURES = "kindling.yarn.maxExecutorFailures";
    /** Heap of the application master (client mode: it only asks for containers); default {@value #DEFAULT_AM_MEMORY}. */
    public static final String AM_MEMORY = "kindling.yarn.am.memory";
    /** Heap of the driver in {@code --deploy-mode cluster} (its application master's container); default {@value #DEFAULT_DRIVER_MEMORY}. */
    public static final String DRIVER_MEMORY = "kindling.driver.memory";
    /** The driver's container memory beyond the heap in cluster mode; default max(384 MiB, 10% of the heap). */
    public static final String DRIVER_MEMORY_OVERHEAD = "kindling.driver.memoryOverhead";
    /** How long the driver waits for the first executors to register (containers allocated, localized, started); default 120 s. */
    public static final String REGISTRATION_TIMEOUT_MS = "kindling.yarn.registrationTimeoutMs";
    /** Prefix of keys copied into Hadoop's configuration without it: {@code kindling.hadoop.fs.defaultFS=hdfs://nn:8020}. */
    public static final String HADOOP_PREFIX = "kindling.hadoop.";

    /** Default of {@value #INSTANCES}. */
    public static final int DEFAULT_INSTANCES = 2;
    /** Default of {@value #MEMORY}. */
    public static final String DEFAULT_MEMORY = "1g";
    /** Default of {@value #DRIVER_MEMORY}, as Spark's. */
    public static final String DEFAULT_DRIVER_MEMORY = "1g";
    /** Default of {@value #AM_MEMORY}. */
    public static final String DEFAULT_AM_MEMORY = "256m";
    /** The smallest memory overhead, in MiB (Spark's). */
    public static final int MIN_OVERHEAD_MB = 384;

    private YarnKeys() {
    }

    /** Whether {@code master} is {@code yarn}. */
    public static boolean isYarn(String master) {
        return master != null && master.strip().equals(MASTER);
    }

    /** {@value #INSTANCES}: at least 1. */
    public static int instances(Map<String, String> conf) {
        return positive(conf, INSTANCES, DEFAULT_INSTANCES);
    }

    /** {@value #CORES}: at least 1. */
    public static int cores(Map<String, String> conf) {
        return positive(conf, CORES, 1);
    }

    /** {@value #MEMORY} in MiB. */
    public static int memoryMb(Map<String, String> conf) {
        return parseMemoryMb(MEMORY, conf.getOrDefault(MEMORY, DEFAULT_MEMORY));
    }

    /** {@value #AM_MEMORY} in MiB. */
    public static int amMemoryMb(Map<String, String> conf) {
        return parseMemoryMb(AM_MEMORY, conf.getOrDefault(AM_MEMORY, DEFAULT_AM_MEMORY));
    }

    /** {@value #DRIVER_MEMORY} in MiB. */
    public static int driverMemoryMb(Map<String, String> conf) {
        return parseMemoryMb(DRIVER_MEMORY, conf.getOrDefault(DRIVER_MEMORY, DEFAULT_DRIVER_MEMORY));
    }

    /** {@value #DRIVER_MEMORY_OVERHEAD} in MiB for a heap of {@code heapMb}: as set, else max(384, 10% of the heap). */
    public static int driverOverheadMb(Map<String, String> conf, int heapMb) {
        String value = conf.get(DRIVER_MEMORY_OVERHEAD);
        return value == null ? Math.max(MIN_OVERHEAD_MB, heapMb / 10) : parseMemoryMb(DRIVER_MEMORY_OVERHEAD, value);
    }

    /** {@value #MEMORY_OVERHEAD} in MiB for a heap of {@code heapMb}: as set, else max(384, 10% of the heap). */
    public static int overheadMb(Map<String, String> conf, int heapMb) {
        String value = conf.get(MEMORY_OVERHEAD);
        return value == null ? Math.max(MIN_OVERHEAD_MB, heapMb / 10) : parseMemoryMb(MEMORY_OVERHEAD, value);
    }

    /** {@value #MAX_EXECUTOR_FAILURES}: at least 0, default max(2 x instances, 3). */
    public static int maxExecutorFailures(Map<String, String> conf) {
        int dflt = Math.max(2 * instances(conf), 3);
        String value = conf.get(MAX_EXECUTOR_FAILURES);
        int n = value == null ? dflt : whole(MAX_EXECUTOR_FAILURES, value);
        if (n < 0) {
            throw new IllegalArgumentException(MAX_EXECUTOR_FAILURES + " must be 0 or more (got " + n + ")");
        }
        return n;
    }

    /** {@value #REGISTRATION_TIMEOUT_MS}: at least 1 ms, default 120,000. */
    public static long registrationTimeoutMs(Map<String, String> conf) {
        String value = conf.get(REGISTRATION_TIMEOUT_MS);
        long ms = value == null ? 120_000 : whole(REGISTRATION_TIMEOUT_MS, value);
        if (ms < 1) {
            throw new IllegalArgumentException(REGISTRATION_TIMEOUT_MS + " must be at least 1 (got " + ms + ")");
        }
        return ms;
    }

    /**
     * Parses a memory size for {@code key}: a whole number with an optional unit {@code k}, {@code m},
     * {@code g} or {@code t} (a bare number is MiB, as Spark's executor memory), to MiB; at least 1 MiB.
     */
    public static int parseMemoryMb(String key, String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.endsWith("b")) {
            v = v.substring(0, v.length() - 1);
        }
        long factorKb = 1024;
        if (!v.isEmpty()) {
            switch (v.charAt(v.length() - 1)) {
                case 'k' -> factorKb = 1;
                case 'm' -> factorKb = 1024;
                case 'g' -> factorKb = 1024L * 1024;
                case 't' -> factorKb = 1024L * 1024 * 1024;
                default -> factorKb = 0;
            }
            if (factorKb != 0) {
                v = v.substring(0, v.length() - 1);
            } else {
                factorKb = 1024;
            }
        }
        long n;
        try {
            n = Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a size such as 512m or 2g (got \"" + value + "\")", e);
        }
        long mb = n * factorKb / 1024;
        if (n < 0 || mb < 1 || mb > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " must be at least 1m and below 2048t (got \"" + value + "\")");
        }
        return (int) mb;
    }

    private static int positive(Map<String, String> conf, String key, int dflt) {
        String value = conf.get(key);
        int n = value == null ? dflt : whole(key, value);
        if (n < 1) {
            throw new IllegalArgumentException(key + " must be at least 1 (got " + n + ")");
        }
        return n;
    }

    private static int whole(String key, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number (got \"" + value + "\")", e);
        }
    }
}
