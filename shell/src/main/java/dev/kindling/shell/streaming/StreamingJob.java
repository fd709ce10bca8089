package dev.kindling.shell.streaming;

import dev.kindling.Broadcast;
import dev.kindling.Kindling;
import dev.kindling.KindlingConf;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.RDD;
import dev.kindling.internal.hadoop.HadoopFiles;
import dev.kindling.internal.io.FileSplit;
import dev.kindling.internal.io.FsPath;
import dev.kindling.internal.io.InputPaths;
import dev.kindling.internal.io.SplitInput;
import dev.kindling.internal.io.PathSchemes;
import dev.kindling.StreamingCounters;
import dev.kindling.SubprocessFailedException;
import dev.kindling.internal.io.SubprocessPipe;
import dev.kindling.SubprocessTimeoutException;
import dev.kindling.internal.io.TextFileRDD;
import dev.kindling.internal.io.TextOutput;
import dev.kindling.internal.rdd.MapPartitionsRDD;
import dev.kindling.internal.rdd.ShuffledRDD;
import dev.kindling.scheduler.HashPartitioner;
import dev.kindling.scheduler.JobFailedException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a Hadoop Streaming job on Kindling: the same command line, the same answers, the same part
 * files, without a Hadoop install.
 *
 * <pre>
 *  input splits --(map stage: one mapper process per split; lines split into key/value;
 *                  optional combiner per reducer)--> shuffle by Hadoop's Text hash,
 *                  sorted by unsigned key bytes --(reduce stage: one reducer process per
 *                  partition, fed key TAB value lines)--> part-NNNNN + _SUCCESS
 * </pre>
 * With 0 reducers ({@code -reducer NONE} or {@code -numReduceTasks 0}) the map output is written
 * directly, one part file per split. Errors before any task runs come back as
 * {@link StreamingException} with Hadoop's client exit status; a failed job exits 1 and leaves no
 * output directory.
 */
public final class StreamingJob {

    private static final AtomicInteger NEXT_JOB = new AtomicInteger();

    private StreamingJob() {
    }

    /** Parses {@code args}, runs the job, reports on {@code err}; returns the client exit status. */
    public static int run(String[] args, PrintStream err) {
        try {
            StreamingOptions options = StreamingOptions.parse(args);
            if (options.help) {
                err.println(StreamingOptions.usage());
                return 0;
            }
            run(options, err);
            return 0;
        } catch (StreamingException e) {
            // A failed job's reason is in the report already ("failed with state FAILED due to"): not twice.
            err.println("ERROR streaming: " + (e.getCause() instanceof JobFailedException ? "Job not successful!" : e.getMessage()));
            if (e.exitCode() == StreamingException.JOB_FAILED && e.getMessage().startsWith("Unrecognized option")
                    || e.getMessage().startsWith("Required argument")) {
                err.println(StreamingOptions.usage());
            }
            err.println("Streaming Command Failed!");
            return e.exitCode();
        }
    }

    /** Runs a parsed job; returns its counters (framework and user groups) or throws {@link StreamingException}. */
    public static Map<String, Map<String, Long>> run(StreamingOptions o, PrintStream err) {
        if (o.output.isBlank()) {
            throw new StreamingException(StreamingException.JOB_FAILED, "-output is empty; name the output directory");
        }
        // Paths before anything else: one on a file system that cannot be reached (hdfs://... without
        // Hadoop's client jars) fails before anything is created, with Hadoop's exit status for a file
        // system it cannot reach (an I/O error). With them, -input and -output go through Hadoop.
        String inputSpec = String.join(",", o.inputs);
        boolean hadoopInput = PathSchemes.viaHadoop(inputSpec);
        FsPath output;
        try {
            if (!hadoopInput) {
                InputPaths.checkLocal(inputSpec);
            }
            output = FsPath.of(o.output, "-output");
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new StreamingException(StreamingException.IO_ERROR, e.getMessage(), e);
        }
        StreamingSettings.check(o.conf, o.givenNames, err);
        int reducers = o.reduceTasks();
        String jobId = "job_kindling" + System.currentTimeMillis() / 1000 + "_" + String.format(Locale.ROOT, "%04d",
                NEXT_JOB.incrementAndGet());
        List<Path> shipped = shippedFiles(o.files);
        KeyFieldSplitter mapSplitter = splitter(o, "stream.map.output.field.separator", "stream.num.map.output.key.fields");
        KeyFieldSplitter reduceSplitter = splitter(o, "stream.reduce.output.field.separator",
                "stream.num.reduce.output.key.fields");
        boolean failOnNonZero = !"false".equalsIgnoreCase(o.setting("stream.non.zero.exit.is.failure", "true"));
        SubprocessPipe.Timeout timeout = o.taskTimeout();
        int maps = o.intSetting("mapreduce.job.maps", -1);
        KeyFieldComparator comparator = comparator(o, err);
        KeyFieldPartitioner partitioner = partitioner(o, err);
        Map<String, String> cmdenv = commandEnvironment(o);

        boolean overwrite = "true".equalsIgnoreCase(o.setting(KindlingConf.OUTPUT_OVERWRITE, "false"));
        if (output.fs().exists(output.path()) && !overwrite) {
            throw new StreamingException(StreamingException.OUTPUT_EXISTS, "Output directory " + output
                    + " already exists; delete it or choose another -output");
        }
        try {
            if (hadoopInput) {
                HadoopFiles.listFiles(inputSpec, false);
            } else {
                InputPaths.expand(inputSpec);
            }
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new StreamingException(StreamingException.BAD_INPUT, "Error launching job, bad input path: " + e.getMessage(), e);
        }

        try (KindlingContext kc = context(o)) {
            // The shipped files travel to the executors as a broadcast, on every master: each executor
            // writes its copy into its own scratch directory (StreamingTasks.taskDir).
            ShippedFiles files = ShippedFiles.read(shipped);
            List<String> names = files.names();
            List<String> mapper = CommandResolver.resolve(o.mapper, "-mapper", names, err);
            List<String> combiner = reducers == 0 ? null : CommandResolver.resolve(o.combiner, "-combiner", names, err);
            List<String> reducer = reducers == 0 ? null : CommandResolver.resolve(o.reducer, "-reducer", names, err);
            List<String> programs = new ArrayList<>();
            for (List<String> command : Arrays.asList(mapper, combiner, reducer)) {
                String program = CommandResolver.shippedProgram(command, names);
                if (program != null) {
                    programs.add(program);
                }
            }
            Broadcast<ShippedFiles> shippedToTasks = files.isEmpty() ? null : kc.broadcast(files.withExecutable(programs));

            int minSplits = maps > 0 ? maps : Math.max(2, kc.executorThreads());
            RDD<byte[]> input = hadoopInput ? HadoopFiles.rawTextFile(kc, inputSpec, minSplits)
                    : TextFileRDD.createRaw(kc, inputSpec, minSplits);
            List<FileSplit> splits = ((SplitInput) input).splits();
            Map<String, String> baseEnv = jobEnv(o, jobId, splits.size(), reducers, output, inputSpec);
            if (o.verbose) {
                err.println("Commands: mapper=" + mapper + " combiner=" + combiner + " reducer=" + reducer);
                err.println("Splits: " + splits);
                baseEnv.forEach((k, v) -> err.println("  env " + k + "=" + v));
            }
            StreamingCounters user = new StreamingCounters();
            StreamingCounters framework = new StreamingCounters();
            user.attach(kc);
            framework.attach(kc);
            StreamingTasks tasks = new StreamingTasks(jobId, splits, mapper, combiner, reducer, baseEnv, cmdenv,
                    shippedToTasks, names, mapSplitter, reduceSplitter, reducers, failOnNonZero, timeout, user, framework,
                    comparator, partitioner, o.verbose, o.setting("mapreduce.output.textoutputformat.separator", "\t"));

            RDD<Object> lines;
            if (reducers == 0) {
                lines = new MapPartitionsRDD<byte[], Object>(input, (ctx, p, it) -> StreamingTasks.mapped(
                        tasks.mapOnly(ctx, p, it), l -> (Object) l), false);
            } else {
                RDD<Pair<Integer, RecordBlock>> mapped = new MapPartitionsRDD<>(input, tasks::mapToBlocks, false);
                ShuffledRDD<Integer, RecordBlock, RecordBlock> shuffled = new ShuffledRDD<>(mapped,
                        new HashPartitioner(reducers), null, false, null);
                lines = new MapPartitionsRDD<Pair<Integer, RecordBlock>, Object>(shuffled, tasks::reduce, false);
            }
            StreamingProgress progress = new StreamingProgress(err, jobId, reducers == 0);
            kc.addListener(progress);
            err.println("Running job: " + jobId + " (" + splits.size() + " map tasks, " + reducers
                    + " reduce tasks, " + kc.executorThreads() + " executor threads)");
            long inputBytes = splits.stream().mapToLong(s -> s.length() >= 0 ? s.length() : fileSize(s.path())).sum();
            String codec = "true".equalsIgnoreCase(o.setting("mapreduce.output.fileoutputformat.compress", "false")) ? "gzip" : null;
            try {
                new TextOutput(kc).save(lines, output.toString(), codec);
            } catch (IllegalArgumentException | IllegalStateException e) {
                // Refused before any task ran: the output exists, is being written, or may not be overwritten.
                throw new StreamingException(StreamingException.OUTPUT_EXISTS, e.getMessage(), e);
            } catch (JobFailedException e) {
                String reason = failureReason(e);
                err.println("Job " + jobId + " failed with state FAILED due to: " + reason);
                StreamingReport.print(err, progress, framework.snapshot(), user.snapshot(), inputBytes, 0, reducers == 0);
                throw new StreamingException(StreamingException.JOB_FAILED, "Job not successful: " + reason, e);
            }
            long outputBytes = outputBytes(output);
            err.println("Job " + jobId + " completed successfully");
            StreamingReport.print(err, progress, framework.snapshot(), user.snapshot(), inputBytes, outputBytes, reducers == 0);
            err.println("Output directory: " + o.output);
            Map<String, Map<String, Long>> all = new LinkedHashMap<>(framework.snapshot());
            all.putAll(user.snapshot());
            return all;
        } catch (IOException e) {
            throw new StreamingException(StreamingException.IO_ERROR, "Error launching job: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new StreamingException(StreamingException.IO_ERROR, "Error running job: " + e.getMessage(), e);
        }
    }

    private static KindlingContext context(StreamingOptions o) {
        Kindling.Builder builder = Kindling.builder()
                .appName(o.setting("mapreduce.job.name", "streamjob"))
                .config(KindlingConf.SHOW_CONSOLE_PROGRESS, "false");
        String attempts = o.conf.getOrDefault("mapreduce.map.maxattempts", o.conf.get("mapreduce.reduce.maxattempts"));
        if (attempts == null && System.getProperty(KindlingConf.TASK_MAX_FAILURES) == null) {
            attempts = "4";  // Hadoop's default; a local Kindling master alone would give 1 attempt
        }
        if (attempts != null) {
            builder.config(KindlingConf.TASK_MAX_FAILURES, attempts);
        }
        o.conf.forEach((k, v) -> {
            if (k.startsWith("kindling.")) {
                builder.config(k, v);
            }
        });
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new StreamingException(StreamingException.INVALID_CONFIG, "Invalid job configuration: " + e.getMessage(), e);
        }
    }

    /** KeyFieldBasedComparator's order when {@code mapreduce.job.output.key.comparator.class} names it, else null (key bytes). */
    private static KeyFieldComparator comparator(StreamingOptions o, PrintStream err) {
        if (!StreamingSettings.isClass(o.conf, "mapreduce.job.output.key.comparator.class",
                StreamingSettings.KEY_FIELD_COMPARATOR)) {
            return null;
        }
        return new KeyFieldComparator(keySpecs(o, "mapreduce.partition.keycomparator.options", err));
    }

    /** KeyFieldBasedPartitioner when {@code -partitioner}/{@code mapreduce.job.partitioner.class} names it, else null (Text hash). */
    private static KeyFieldPartitioner partitioner(StreamingOptions o, PrintStream err) {
        if (!StreamingSettings.isClass(o.conf, "mapreduce.job.partitioner.class", StreamingSettings.KEY_FIELD_PARTITIONER)) {
            return null;
        }
        if (o.conf.containsKey("num.key.fields.for.partition")) {
            err.println("WARNING streaming: num.key.fields.for.partition is deprecated; use"
                    + " -D mapreduce.partition.keypartitioner.options=-k1,N");
            return new KeyFieldPartitioner(KeyFieldSpecs.firstFields(o.intSetting("num.key.fields.for.partition", 0),
                    o.setting("mapreduce.map.output.key.field.separator", "\t")));
        }
        return new KeyFieldPartitioner(keySpecs(o, "mapreduce.partition.keypartitioner.options", err));
    }

    private static KeyFieldSpecs keySpecs(StreamingOptions o, String key, PrintStream err) {
        String separatorKey = "mapreduce.map.output.key.field.separator";
        KeyFieldSpecs specs;
        try {
            specs = KeyFieldSpecs.parse(o.conf.get(key), o.setting(separatorKey, "\t"));
        } catch (IllegalArgumentException e) {
            throw new StreamingException(StreamingException.INVALID_CONFIG, "-D " + key + "=" + o.conf.get(key)
                    + (o.conf.containsKey(separatorKey) ? " (with " + separatorKey + "=" + o.conf.get(separatorKey) + ")" : "")
                    + ": " + e.getMessage(), e);
        }
        int keyFields = o.intSetting("stream.num.map.output.key.fields", 1);
        if (o.setting(separatorKey, "\t").equals(o.setting("stream.map.output.field.separator", "\t"))) {
            for (KeyFieldSpecs.Spec spec : specs.specs()) {
                if (spec.beginField() > keyFields) {
                    err.println("WARNING streaming: " + key + ": -k" + spec.beginField() + " selects nothing: keys have "
                            + keyFields + " field(s) (stream.num.map.output.key.fields=" + keyFields + "; the rest of a"
                            + " line is the value, which is never compared or hashed). Did you mean -D"
                            + " stream.num.map.output.key.fields=" + spec.beginField() + "?");
                }
            }
        }
        if (!specs.ignored().isEmpty()) {
            err.println("WARNING streaming: " + key + ": " + String.join(" ", specs.ignored()) + " ignored, as Hadoop"
                    + " ignores it (understood: -k pos1[,pos2], -n, -r, -nr; fields are separated by " + separatorKey + ")");
        }
        return specs;
    }

    /** The commands' extra environment: {@code stream.addenvironment} (NAME=VALUE words), then each {@code -cmdenv}. */
    private static Map<String, String> commandEnvironment(StreamingOptions o) {
        Map<String, String> env = new LinkedHashMap<>();
        String add = o.conf.get("stream.addenvironment");
        if (add != null) {
            for (String word : add.trim().split("\\s+")) {
                int eq = word.indexOf('=');
                if (eq > 0) {
                    env.put(word.substring(0, eq), word.substring(eq + 1));
                } else if (!word.isEmpty()) {
                    throw new StreamingException(StreamingException.INVALID_CONFIG, "-D stream.addenvironment=" + add
                            + ": \"" + word + "\" is not NAME=VALUE (the setting is a space-separated list of them)");
                }
            }
        }
        env.putAll(o.cmdenv);
        return env;
    }

    private static KeyFieldSplitter splitter(StreamingOptions o, String separatorKey, String fieldsKey) {
        String separator = o.setting(separatorKey, "\t");
        int fields = o.intSetting(fieldsKey, 1);
        try {
            return new KeyFieldSplitter(separator, fields);
        } catch (IllegalArgumentException e) {
            throw new StreamingException(StreamingException.INVALID_CONFIG, separatorKey + "/" + fieldsKey + ": " + e.getMessage(), e);
        }
    }

    /** The files named by -file and -files ({@code path#linkName}), checked to exist. */
    private static List<Path> shippedFiles(List<String> specs) {
        List<Path> files = new ArrayList<>();
        for (String spec : specs) {
            String path;
            try {
                path = PathSchemes.localPath(spec, "-files entry");
            } catch (IllegalArgumentException e) {
                throw new StreamingException(StreamingException.IO_ERROR, e.getMessage(), e);
            }
            Path p = Path.of(path.contains("#") ? path.substring(0, path.indexOf('#')) : path);
            if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                throw new StreamingException(StreamingException.JOB_FAILED, "File: " + p.toAbsolutePath()
                        + " does not exist, or is not readable (given with -file/-files)");
            }
            files.add(Path.of(p.toAbsolutePath() + (path.contains("#") ? path.substring(path.indexOf('#')) : "")));
        }
        return files;
    }

    /** Hadoop's environment variable name for a setting: every non-alphanumeric character becomes '_'. */
    static String envName(String key) {
        StringBuilder b = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            b.append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_');
        }
        return b.toString();
    }

    private static Map<String, String> jobEnv(StreamingOptions o, String jobId, int maps, int reducers, FsPath output,
                                              String inputSpec) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("mapreduce.job.id", jobId);
        settings.put("mapreduce.job.name", o.setting("mapreduce.job.name", "streamjob"));
        settings.put("mapreduce.job.maps", Integer.toString(maps));
        settings.put("mapreduce.job.reduces", Integer.toString(reducers));
        settings.put("mapreduce.input.fileinputformat.inputdir", inputSpec);
        settings.put("mapreduce.output.fileoutputformat.outputdir", output.toString());
        settings.put("stream.map.output.field.separator", o.setting("stream.map.output.field.separator", "\t"));
        settings.put("stream.reduce.output.field.separator", o.setting("stream.reduce.output.field.separator", "\t"));
        settings.putAll(o.conf);
        o.givenNames.forEach((name, given) -> settings.put(given, o.conf.get(name)));
        Map<String, String> env = new LinkedHashMap<>();
        settings.forEach((k, v) -> env.put(envName(k), v));
        return env;
    }

    private static String failureReason(JobFailedException e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof SubprocessTimeoutException t) {
                return t.getMessage();
            }
            if (c instanceof StreamingTaskException t) {
                // Its stderr was shown with each failed attempt, above.
                return t.getMessage();
            }
            if (c instanceof SubprocessFailedException s) {
                return "subprocess failed with code " + s.exitCode() + " (" + String.join(" ", s.command()) + ")";
            }
        }
        return String.valueOf(e.getCause() == null ? e : e.getCause());
    }

    /** The size of an input file: a local path, or a URI on another file system. */
    private static long fileSize(String file) {
        try {
            return PathSchemes.viaHadoop(file) ? HadoopFiles.listFiles(file, false).sizes()[0] : Files.size(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long outputBytes(FsPath output) {
        long total = 0;
        try {
            for (Path p : output.fs().list(output.path())) {
                if (p.getFileName().toString().startsWith("part-")) {
                    total += output.fs().size(p);
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return total;
    }
}
