package dev.kindling.shell;

import dev.kindling.KindlingConf;
import dev.kindling.internal.yarn.YarnKeys;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The {@code --master} and {@code --conf key=value} options shared by the subcommands that create a
 * context. They are applied as {@code kindling.*} JVM system properties, which
 * {@code Kindling.builder()} reads, so they reach contexts that examples build themselves.
 */
final class ContextOptions {

    @Option(names = "--master", paramLabel = "<master>",
            description = "Executor threads: local, local[N] or local[*] (default: local[*], one per core); "
                    + "local[N,F] also allows F attempts per task (default 1); local-cluster[E,C,M] runs E executor "
                    + "processes of C task slots and M MiB of heap each; yarn runs executors in YARN containers "
                    + "(HADOOP_CONF_DIR names the cluster).")
    String master;

    @Option(names = "--num-executors", paramLabel = "<n>",
            description = "With --master yarn: executor containers (kindling.executor.instances, default 2).")
    String numExecutors;

    @Option(names = "--executor-cores", paramLabel = "<n>",
            description = "With --master yarn: task slots and vcores of each executor (kindling.executor.cores, default 1).")
    String executorCores;

    @Option(names = "--executor-memory", paramLabel = "<size>",
            description = "With --master yarn: heap of each executor, e.g. 2g (kindling.executor.memory, default 1g); "
                    + "its container gets max(384m, 10%) more (kindling.executor.memoryOverhead).")
    String executorMemory;

    @Option(names = "--queue", paramLabel = "<queue>",
            description = "With --master yarn: the YARN queue (kindling.yarn.queue, default: default).")
    String queue;

    @Option(names = "--conf", paramLabel = "<key=value>", mapFallbackValue = "",
            description = "A kindling.* setting, e.g. --conf kindling.task.maxFailures=2. Repeatable.")
    Map<String, String> conf = new LinkedHashMap<>();

    /**
     * The settings given on the command line, {@code --master} as {@value KindlingConf#MASTER}.
     *
     * @throws CommandLine.ParameterException when a key is not a {@code kindling.*} key, or a value is
     *     not valid for its key (see {@link ConfValues})
     */
    Map<String, String> settings(CommandLine commandLine) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : conf.entrySet()) {
            if (!e.getKey().startsWith("kindling.")) {
                throw new CommandLine.ParameterException(commandLine, "--conf " + e.getKey() + "=" + e.getValue()
                        + ": keys must start with 'kindling.' (see the configuration keys in README.md)");
            }
            settings.put(e.getKey(), e.getValue());
        }
        if (master != null) {
            settings.put(KindlingConf.MASTER, master);
        }
        putIfSet(settings, YarnKeys.INSTANCES, numExecutors);
        putIfSet(settings, YarnKeys.CORES, executorCores);
        putIfSet(settings, YarnKeys.MEMORY, executorMemory);
        putIfSet(settings, YarnKeys.QUEUE, queue);
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String problem = ConfValues.problem(e.getKey(), e.getValue());
            if (problem != null) {
                String option = e.getKey().equals(KindlingConf.MASTER) && master != null ? "--master " + master
                        : "--conf " + e.getKey() + "=" + e.getValue();
                throw new CommandLine.ParameterException(commandLine, option + ": " + e.getKey() + " " + problem
                        + " (got \"" + e.getValue() + "\")");
            }
        }
        return settings;
    }

    private static void putIfSet(Map<String, String> settings, String key, String value) {
        if (value != null) {
            settings.put(key, value);
        }
    }

    /** Sets the command line's settings as system properties, for contexts created afterwards in this JVM. */
    void applyAsSystemProperties(CommandLine commandLine) {
        settings(commandLine).forEach(System::setProperty);
    }
}
