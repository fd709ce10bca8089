package dev.kindling.shell.streaming;

import dev.kindling.internal.util.EditDistance;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Every job setting ({@code -D key=value}, {@code -conf}) the streaming runner knows, and what it
 * does with it, so that no setting is silently dropped:
 * <ol>
 *   <li>Implemented: honoured with Hadoop's meaning ({@link #IMPLEMENTED}).</li>
 *   <li>Without effect on the output here (memory, queues, speculation, sort buffers...): accepted
 *       quietly ({@link #NO_EFFECT}).</li>
 *   <li>Not implemented, and would change the results: an error naming the setting (exit status 3,
 *       invalid configuration), unless its value is the one that changes nothing
 *       ({@link #UNSUPPORTED}).</li>
 *   <li>Anything else: a warning, naming the nearest known setting when one is close.
 *       {@code kindling.*} settings go to the context, which checks them itself.</li>
 * </ol>
 * Hadoop's deprecated names ({@code mapred.reduce.tasks}, ...) are read as their current names
 * ({@link #canonical}).
 */
final class StreamingSettings {

    /** Settings the runner honours. */
    static final Set<String> IMPLEMENTED = Set.of(
            "mapreduce.job.reduces", "mapreduce.job.maps", "mapreduce.job.name", "mapreduce.task.timeout",
            "mapreduce.map.maxattempts", "mapreduce.reduce.maxattempts",
            "stream.map.output.field.separator", "stream.num.map.output.key.fields",
            "stream.reduce.output.field.separator", "stream.num.reduce.output.key.fields",
            "stream.non.zero.exit.is.failure", "stream.addenvironment",
            "mapreduce.output.fileoutputformat.compress", "mapreduce.output.fileoutputformat.compress.codec",
            "mapreduce.job.output.key.comparator.class", "mapreduce.partition.keycomparator.options",
            "mapreduce.job.partitioner.class", "mapreduce.partition.keypartitioner.options",
            "num.key.fields.for.partition", "mapreduce.map.output.key.field.separator",
            "mapreduce.output.textoutputformat.separator",
            "mapreduce.job.inputformat.class", "mapreduce.job.outputformat.class");

    /** Settings that cannot change a streaming job's output here. */
    static final Set<String> NO_EFFECT = Set.of(
            "mapreduce.map.memory.mb", "mapreduce.reduce.memory.mb", "mapreduce.map.java.opts",
            "mapreduce.reduce.java.opts", "mapred.child.java.opts", "mapreduce.map.cpu.vcores",
            "mapreduce.reduce.cpu.vcores", "mapreduce.job.queuename", "mapreduce.job.priority",
            "mapreduce.map.speculative", "mapreduce.reduce.speculative", "mapreduce.task.io.sort.mb",
            "mapreduce.task.io.sort.factor", "mapreduce.map.sort.spill.percent", "mapreduce.map.output.compress",
            "mapreduce.map.output.compress.codec", "mapreduce.output.fileoutputformat.compress.type",
            "mapreduce.job.reduce.slowstart.completedmaps", "mapreduce.framework.name", "mapreduce.jobtracker.address",
            "mapreduce.job.ubertask.enable", "mapreduce.job.jvm.numtasks", "mapreduce.task.files.preserve.failedtasks",
            "mapreduce.job.user.classpath.first", "mapreduce.job.classloader",
            "mapreduce.fileoutputcommitter.algorithm.version", "mapreduce.job.counters.max",
            "mapreduce.job.running.map.limit", "mapreduce.job.running.reduce.limit", "mapreduce.map.combine.minspills",
            "mapreduce.job.output.key.class", "mapreduce.job.output.value.class", "mapreduce.map.output.key.class",
            "mapreduce.map.output.value.class", "mapreduce.task.skip.start.attempts", "mapreduce.map.log.level",
            "mapreduce.reduce.log.level", "mapreduce.reduce.merge.inmem.threshold",
            "mapreduce.reduce.input.buffer.percent", "mapreduce.job.tags", "stream.tmpdir", "stream.joindelay.milli",
            "stream.map.input.field.separator", "dfs.replication", "dfs.blocksize", "io.file.buffer.size",
            "hadoop.tmp.dir");

    /** Prefixes of whole families of tuning settings without effect on the output. */
    private static final List<String> NO_EFFECT_PREFIXES = List.of(
            "yarn.", "mapreduce.reduce.shuffle.", "mapreduce.job.end-notification.", "mapreduce.job.acl-",
            "mapreduce.client.", "mapreduce.am.");

    /** A setting that is not implemented: {@code harmless} says which values change nothing; {@code fix} what to do instead. */
    private record Unsupported(Predicate<String> harmless, String fix) {
    }

    /** Settings that would change the results and are not implemented. */
    private static final Map<String, Unsupported> UNSUPPORTED = new LinkedHashMap<>();

    /** Hadoop's deprecated names and the current names they stand for. */
    private static final Map<String, String> DEPRECATED = Map.ofEntries(
            Map.entry("mapred.reduce.tasks", "mapreduce.job.reduces"),
            Map.entry("mapred.map.tasks", "mapreduce.job.maps"),
            Map.entry("mapred.job.name", "mapreduce.job.name"),
            Map.entry("mapred.task.timeout", "mapreduce.task.timeout"),
            Map.entry("mapred.map.max.attempts", "mapreduce.map.maxattempts"),
            Map.entry("mapred.reduce.max.attempts", "mapreduce.reduce.maxattempts"),
            Map.entry("mapred.output.compress", "mapreduce.output.fileoutputformat.compress"),
            Map.entry("mapred.output.compression.codec", "mapreduce.output.fileoutputformat.compress.codec"),
            Map.entry("mapred.output.compression.type", "mapreduce.output.fileoutputformat.compress.type"),
            Map.entry("mapred.output.key.comparator.class", "mapreduce.job.output.key.comparator.class"),
            Map.entry("mapred.text.key.comparator.options", "mapreduce.partition.keycomparator.options"),
            Map.entry("mapred.text.key.partitioner.options", "mapreduce.partition.keypartitioner.options"),
            Map.entry("map.output.key.field.separator", "mapreduce.map.output.key.field.separator"),
            Map.entry("mapred.partitioner.class", "mapreduce.job.partitioner.class"),
            Map.entry("mapred.output.value.groupfn.class", "mapreduce.job.output.group.comparator.class"),
            Map.entry("mapred.textoutputformat.separator", "mapreduce.output.textoutputformat.separator"),
            Map.entry("mapred.input.dir", "mapreduce.input.fileinputformat.inputdir"),
            Map.entry("mapred.output.dir", "mapreduce.output.fileoutputformat.outputdir"),
            Map.entry("mapred.min.split.size", "mapreduce.input.fileinputformat.split.minsize"),
            Map.entry("mapred.max.split.size", "mapreduce.input.fileinputformat.split.maxsize"),
            Map.entry("mapred.input.format.class", "mapreduce.job.inputformat.class"),
            Map.entry("mapred.output.format.class", "mapreduce.job.outputformat.class"),
            Map.entry("mapred.job.queue.name", "mapreduce.job.queuename"),
            Map.entry("mapred.job.priority", "mapreduce.job.priority"),
            Map.entry("mapred.map.tasks.speculative.execution", "mapreduce.map.speculative"),
            Map.entry("mapred.reduce.tasks.speculative.execution", "mapreduce.reduce.speculative"),
            Map.entry("mapred.compress.map.output", "mapreduce.map.output.compress"),
            Map.entry("mapred.map.output.compression.codec", "mapreduce.map.output.compress.codec"),
            Map.entry("io.sort.mb", "mapreduce.task.io.sort.mb"),
            Map.entry("io.sort.factor", "mapreduce.task.io.sort.factor"),
            Map.entry("mapred.job.tracker", "mapreduce.jobtracker.address"),
            Map.entry("mapred.skip.map.max.skip.records", "mapreduce.map.skip.maxrecords"),
            Map.entry("mapred.skip.reduce.max.skip.groups", "mapreduce.reduce.skip.maxgroups"),
            Map.entry("mapred.cache.files", "mapreduce.job.cache.files"),
            Map.entry("mapred.cache.archives", "mapreduce.job.cache.archives"),
            Map.entry("mapred.job.reuse.jvm.num.tasks", "mapreduce.job.jvm.numtasks"),
            Map.entry("fs.default.name", "fs.defaultFS"));

    static final String KEY_FIELD_COMPARATOR = "KeyFieldBasedComparator";
    static final String KEY_FIELD_PARTITIONER = "KeyFieldBasedPartitioner";

    static {
        unsupported("mapreduce.job.output.group.comparator.class", v -> false,
                "the grouping comparator is not implemented (reducers get one line per record; groups follow the key order)");
        unsupported("mapreduce.output.basename", "part"::equals, "output files are always named part-NNNNN");
        unsupported("mapreduce.fileoutputcommitter.marksuccessfuljobs", "true"::equalsIgnoreCase,
                "a successful job always writes _SUCCESS");
        unsupported("mapreduce.input.fileinputformat.split.minsize", v -> v.trim().equals("0") || v.trim().equals("1"),
                "Hadoop's split sizes are not implemented; use -D kindling.input.splitSize=<bytes> or -D mapreduce.job.maps=<n>");
        unsupported("mapreduce.input.fileinputformat.split.maxsize", v -> false,
                "Hadoop's split sizes are not implemented; use -D kindling.input.splitSize=<bytes> or -D mapreduce.job.maps=<n>");
        unsupported("mapreduce.input.fileinputformat.input.dir.recursive", "false"::equalsIgnoreCase,
                "input directories are read one level deep; name the subdirectories with more -input options or a glob");
        unsupported("mapreduce.input.fileinputformat.inputdir", v -> false, "give inputs with -input");
        unsupported("mapreduce.output.fileoutputformat.outputdir", v -> false, "give the output with -output");
        unsupported("textinputformat.record.delimiter", v -> false,
                "records are lines ended by \\n, \\r or \\r\\n; a custom delimiter is not implemented");
        for (String k : List.of("mapreduce.job.map.class", "mapreduce.job.reduce.class", "mapreduce.job.combine.class",
                "mapred.mapper.class", "mapred.reducer.class", "mapred.combiner.class", "stream.map.streamprocessor",
                "stream.reduce.streamprocessor", "stream.combine.streamprocessor")) {
            unsupported(k, v -> false, "give the commands with -mapper, -combiner and -reducer");
        }
        for (String k : List.of("stream.map.input", "stream.map.output", "stream.reduce.input", "stream.reduce.output")) {
            unsupported(k, "text"::equalsIgnoreCase, "only the text protocol is implemented (no typedbytes or rawbytes)");
        }
        unsupported("stream.io.identifier.resolver.class", v -> false, "only the text protocol is implemented");
        unsupported("stream.map.input.ignoreKey", "true"::equalsIgnoreCase,
                "mappers always get the line alone, as with TextInputFormat");
        unsupported("stream.reduce.input.field.separator", "\t"::equals, "reducers always get key TAB value lines");
        unsupported("stream.stderr.reporter.prefix", "reporter:"::equals, "the reporter prefix is always 'reporter:'");
        unsupported("stream.stderr.reporter.enabled", "true"::equalsIgnoreCase, "reporter: lines are always read");
        unsupported("stream.minRecWrittenToEnableSkip_", v -> false, "skipping bad records is not implemented");
        unsupported("mapreduce.map.skip.maxrecords", v -> v.trim().equals("0"), "skipping bad records is not implemented");
        unsupported("mapreduce.reduce.skip.maxgroups", v -> v.trim().equals("0"), "skipping bad records is not implemented");
        for (String k : List.of("mapreduce.job.cache.files", "mapreduce.job.cache.archives", "tmpfiles", "tmparchives",
                "tmpjars")) {
            unsupported(k, v -> false, "ship files with -files (archives and jars are not supported)");
        }
        unsupported("fs.defaultFS", v -> v.startsWith("file:"), "only the local file system is supported");
    }

    private StreamingSettings() {
    }

    private static void unsupported(String key, Predicate<String> harmless, String fix) {
        UNSUPPORTED.put(key, new Unsupported(harmless, fix));
    }

    /** The current name of a setting: Hadoop's replacement for a deprecated name, else the name itself. */
    static String canonical(String key) {
        return DEPRECATED.getOrDefault(key, key);
    }

    /**
     * Checks the job's settings (current names, mapped to the names the user gave): throws
     * {@link StreamingException} (status 3) for the first one that would change the results and is
     * not implemented; prints a warning to {@code err} for each unknown one and for options that
     * have no effect as given.
     */
    static void check(Map<String, String> conf, Map<String, String> givenNames, PrintStream err) {
        for (Map.Entry<String, String> e : conf.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            String given = givenNames.getOrDefault(key, key);
            String named = given.equals(key) ? key : given + " (" + key + ")";
            Unsupported u = UNSUPPORTED.get(key);
            if (u != null) {
                if (!u.harmless().test(value)) {
                    throw new StreamingException(StreamingException.INVALID_CONFIG, "-D " + named + "=" + value
                            + " would change the job's results, and Kindling's streaming runner does not implement it: "
                            + u.fix() + ". Remove the setting to run the job without it.");
                }
                continue;
            }
            if (key.startsWith("kindling.") || IMPLEMENTED.contains(key) || NO_EFFECT.contains(key)
                    || NO_EFFECT_PREFIXES.stream().anyMatch(key::startsWith)) {
                continue;
            }
            String near = nearest(key);
            err.println("WARNING streaming: -D " + given + " is not a setting Kindling's streaming runner knows; it is"
                    + " only passed to the commands' environment" + (near == null ? "" : ". Did you mean " + near + "?"));
        }
        checkClass(conf, "mapreduce.job.output.key.comparator.class", KEY_FIELD_COMPARATOR,
                List.of("org.apache.hadoop.io.Text$Comparator", "org.apache.hadoop.io.Text.Comparator"));
        checkClass(conf, "mapreduce.job.partitioner.class", KEY_FIELD_PARTITIONER,
                List.of("org.apache.hadoop.mapred.lib.HashPartitioner",
                        "org.apache.hadoop.mapreduce.lib.partition.HashPartitioner", "HashPartitioner"));
        checkClass(conf, "mapreduce.job.inputformat.class", null, List.of("org.apache.hadoop.mapred.TextInputFormat",
                "org.apache.hadoop.mapreduce.lib.input.TextInputFormat", "TextInputFormat"));
        checkClass(conf, "mapreduce.job.outputformat.class", null, List.of("org.apache.hadoop.mapred.TextOutputFormat",
                "org.apache.hadoop.mapreduce.lib.output.TextOutputFormat", "TextOutputFormat"));
        String codec = conf.get("mapreduce.output.fileoutputformat.compress.codec");
        if (codec != null && !codec.trim().endsWith("GzipCodec")) {
            throw new StreamingException(StreamingException.INVALID_CONFIG, "-D mapreduce.output.fileoutputformat"
                    + ".compress.codec=" + codec + " is not implemented: compressed output is gzip only"
                    + " (org.apache.hadoop.io.compress.GzipCodec)");
        }
        if (conf.containsKey("mapreduce.partition.keycomparator.options") && !isClass(conf,
                "mapreduce.job.output.key.comparator.class", KEY_FIELD_COMPARATOR)) {
            err.println("WARNING streaming: mapreduce.partition.keycomparator.options has no effect without -D "
                    + "mapreduce.job.output.key.comparator.class=org.apache.hadoop.mapred.lib.KeyFieldBasedComparator"
                    + " (as on Hadoop); keys are sorted as bytes");
        }
        if ((conf.containsKey("mapreduce.partition.keypartitioner.options") || conf.containsKey("num.key.fields.for.partition"))
                && !isClass(conf, "mapreduce.job.partitioner.class", KEY_FIELD_PARTITIONER)) {
            err.println("WARNING streaming: mapreduce.partition.keypartitioner.options has no effect without -partitioner "
                    + "org.apache.hadoop.mapred.lib.KeyFieldBasedPartitioner (as on Hadoop); keys are partitioned by"
                    + " their hash");
        }
    }

    /** Whether {@code key} names Hadoop's class {@code simpleName} (in the mapred.lib or mapreduce.lib.partition package). */
    static boolean isClass(Map<String, String> conf, String key, String simpleName) {
        String v = conf.get(key);
        return v != null && (v.trim().equals(simpleName) || v.trim().equals("org.apache.hadoop.mapred.lib." + simpleName)
                || v.trim().equals("org.apache.hadoop.mapreduce.lib.partition." + simpleName));
    }

    private static void checkClass(Map<String, String> conf, String key, String implemented, List<String> defaults) {
        String v = conf.get(key);
        if (v == null || defaults.contains(v.trim()) || implemented != null && isClass(conf, key, implemented)) {
            return;
        }
        List<String> allowed = new ArrayList<>(defaults.subList(0, Math.min(2, defaults.size())));
        if (implemented != null) {
            allowed.add("org.apache.hadoop.mapred.lib." + implemented);
        }
        throw new StreamingException(StreamingException.INVALID_CONFIG, key + "=" + v + " is not supported by Kindling's"
                + " streaming runner; it implements " + String.join(", ", allowed));
    }

    /** Every setting name the runner knows: implemented, without effect, not implemented, and deprecated names. */
    static Set<String> known() {
        Set<String> known = new TreeSet<>(IMPLEMENTED);
        known.addAll(NO_EFFECT);
        known.addAll(UNSUPPORTED.keySet());
        known.addAll(DEPRECATED.keySet());
        return known;
    }

    /** Hadoop's deprecated names, each with the current name it is read as. */
    static Map<String, String> deprecatedNames() {
        return DEPRECATED;
    }

    /** Whether {@code key} (a current name) is one that would change the results and is not implemented. */
    static boolean unsupported(String key) {
        return UNSUPPORTED.containsKey(key);
    }

    /** The known setting nearest to {@code key} by edit distance, if it is close enough to be a misspelling. */
    static String nearest(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known()) {
            int d = EditDistance.between(key, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= Math.max(2, key.length() / 6) ? best : null;
    }
}
