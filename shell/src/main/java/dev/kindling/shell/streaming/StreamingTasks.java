package dev.kindling.shell.streaming;

import dev.kindling.Broadcast;
import dev.kindling.Pair;
import dev.kindling.internal.io.ExecutorScratch;
import dev.kindling.internal.io.FileSplit;
import dev.kindling.internal.io.PipeLines;
import dev.kindling.StreamingCounters;
import dev.kindling.SubprocessFailedException;
import dev.kindling.internal.io.SubprocessPipe;
import dev.kindling.internal.io.SubprocessPipe.Timeout;
import dev.kindling.scheduler.TaskContext;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/**
 * What the map and reduce tasks of a streaming job do, given its settings: run the mapper on a
 * split's lines and turn its output into records (combined per reducer when a combiner is set);
 * feed a reducer its sorted {@code key<TAB>value} lines and turn its output into part-file lines.
 * Framework counters (records in and out) are reported per attempt, so only successful attempts
 * count. Every command is killed, with every process it started, when it has been idle for longer
 * than {@code mapreduce.task.timeout}, and when its attempt ends. Commands run in a working directory
 * of their attempt in the scratch directory of the executor running it, where the files shipped with
 * {@code -file}/{@code -files} arrive as a broadcast ({@link ShippedFiles}): nothing a task uses is a
 * path on the driver's machine.
 */
final class StreamingTasks implements Serializable {

    private static final long serialVersionUID = 1L;
    static final String FRAMEWORK = "Map-Reduce Framework";

    private final String jobId;
    private final List<FileSplit> splits;
    private final List<String> mapper;
    private final List<String> combiner;
    private final List<String> reducer;
    private final Map<String, String> baseEnv;
    private final Map<String, String> cmdenv;
    /** The files shipped with -file/-files, fetched once per executor; null when none are. */
    private final Broadcast<ShippedFiles> shipped;
    private final List<String> shippedFiles;
    private final KeyFieldSplitter mapSplitter;
    private final KeyFieldSplitter reduceSplitter;
    private final int reducers;
    private final boolean failOnNonZeroExit;
    private final Timeout timeout;
    private final StreamingCounters user;
    private final StreamingCounters framework;
    /** The job's key order: null for unsigned key bytes, else KeyFieldBasedComparator's. */
    private final KeyFieldComparator comparator;
    /** The job's partitioner: null for Hadoop's HashPartitioner on Text keys, else KeyFieldBasedPartitioner's. */
    private final KeyFieldPartitioner partitioner;
    /** Whether the commands' stderr lines are logged as they come (-verbose); otherwise they are shown with a failed attempt. */
    private final boolean liveStderr;
    /** What part files put between key and value ({@code mapreduce.output.textoutputformat.separator}); null for TAB. */
    private final byte[] outputSeparator;

    StreamingTasks(String jobId, List<FileSplit> splits, List<String> mapper, List<String> combiner, List<String> reducer,
                   Map<String, String> baseEnv, Map<String, String> cmdenv, Broadcast<ShippedFiles> shipped, List<String> shippedFiles, KeyFieldSplitter mapSplitter,
                   KeyFieldSplitter reduceSplitter, int reducers, boolean failOnNonZeroExit, Timeout timeout,
                   StreamingCounters user, StreamingCounters framework, KeyFieldComparator comparator,
                   KeyFieldPartitioner partitioner, boolean liveStderr, String outputSeparator) {
        this.jobId = jobId;
        this.splits = List.copyOf(splits);
        this.mapper = mapper;
        this.combiner = combiner;
        this.reducer = reducer;
        this.baseEnv = new TreeMap<>(baseEnv);
        this.cmdenv = new TreeMap<>(cmdenv);
        this.shipped = shipped;
        this.shippedFiles = List.copyOf(shippedFiles);
        this.mapSplitter = mapSplitter;
        this.reduceSplitter = reduceSplitter;
        this.reducers = reducers;
        this.failOnNonZeroExit = failOnNonZeroExit;
        this.timeout = timeout;
        this.user = user;
        this.framework = framework;
        this.comparator = comparator;
        this.partitioner = partitioner;
        this.liveStderr = liveStderr;
        this.outputSeparator = "\t".equals(outputSeparator) ? null : outputSeparator.getBytes(StandardCharsets.UTF_8);
    }

    // ---- map side ----

    /**
     * A map task's output for the shuffle (with reducers): mapper output split into key and value,
     * packed into one {@link RecordBlock} per reducer (combined first if a combiner is set).
     */
    Iterator<Pair<Integer, RecordBlock>> mapToBlocks(TaskContext ctx, int partition, Iterator<byte[]> lines) {
        RecordBlock[] blocks = new RecordBlock[reducers];
        for (int r = 0; r < reducers; r++) {
            blocks[r] = new RecordBlock();
        }
        long[] in = new long[1];
        long records = 0;
        long bytes = 0;
        if (combiner == null && mapper != null) {
            // The mapper's output lines go straight from the pipe's buffer into the blocks.
            Path dir = taskDir(ctx, "m", partition);
            PipeLines output = SubprocessPipe.start(inDir(mapper, dir), mapEnv(ctx, partition), dir,
                    SubprocessPipe.linesOf(counted(lines, in)), ctx, user, failOnNonZeroExit, timeout, liveStderr);
            try {
                while (output.next()) {
                    bytes += mapSplitter.appendTo(blocks, output.array(), output.offset(), output.length(), partitioner);
                    records++;
                }
            } catch (SubprocessFailedException e) {
                throw failed(e, ctx, "m", partition, "mapper", mapper);
            }
        } else if (combiner == null) {
            Iterator<byte[]> output = runMapper(ctx, partition, lines, in);
            while (output.hasNext()) {
                byte[] line = output.next();
                bytes += mapSplitter.appendTo(blocks, line, 0, line.length, partitioner);
                records++;
            }
        } else {
            Iterator<byte[]> output = runMapper(ctx, partition, lines, in);
            List<StreamRecord> all = new ArrayList<>();
            while (output.hasNext()) {
                StreamRecord r = mapSplitter.split(output.next());
                bytes += textSize(r.keyLength()) + textSize(r.valueLength());
                all.add(r);
            }
            records = all.size();
            for (StreamRecord r : combine(ctx, partition, all)) {
                blocks[reducerOf(r)].add(r.line(), 0, r.line().length, r.keyLength());
            }
        }
        framework.addFromTask(ctx, FRAMEWORK, "Map input records", in[0]);
        framework.addFromTask(ctx, FRAMEWORK, "Map output records", records);
        framework.addFromTask(ctx, FRAMEWORK, "Map output bytes", bytes);
        List<Pair<Integer, RecordBlock>> out = new ArrayList<>(reducers);
        for (int r = 0; r < reducers; r++) {
            out.add(new Pair<>(r, blocks[r]));
        }
        return out.iterator();
    }

    /** A map-only task's output lines: key TAB value. */
    Iterator<byte[]> mapOnly(TaskContext ctx, int partition, Iterator<byte[]> lines) {
        long[] in = new long[1];
        long[] out = new long[1];
        Iterator<byte[]> records = mapped(runMapper(ctx, partition, lines, in), line -> {
            out[0]++;
            return outputLine(mapSplitter.split(line));
        });
        return onEnd(records, () -> {
            framework.addFromTask(ctx, FRAMEWORK, "Map input records", in[0]);
            framework.addFromTask(ctx, FRAMEWORK, "Map output records", out[0]);
        });
    }

    /** The mapper's output lines (the input itself for an identity mapper), counting input lines into {@code in[0]}. */
    private Iterator<byte[]> runMapper(TaskContext ctx, int partition, Iterator<byte[]> lines, long[] in) {
        Iterator<byte[]> counted = counted(lines, in);
        if (mapper == null) {
            return counted;
        }
        Path dir = taskDir(ctx, "m", partition);
        return reporting(SubprocessPipe.run(inDir(mapper, dir), mapEnv(ctx, partition), dir,
                SubprocessPipe.linesOf(counted), ctx, user, failOnNonZeroExit, timeout, liveStderr),
                ctx, "m", partition, "mapper", mapper);
    }

    /** {@code lines}, counted into {@code in[0]} as they are read. */
    private static Iterator<byte[]> counted(Iterator<byte[]> lines, long[] in) {
        return mapped(lines, l -> {
            in[0]++;
            return l;
        });
    }

    /** Bytes Hadoop counts for a Text of {@code length} bytes: a variable-length size, then the bytes. */
    static long textSize(int length) {
        return (length <= 127 ? 1 : 1 + (32 - Integer.numberOfLeadingZeros(length) + 7) / 8) + length;
    }

    /** Runs the combiner once per reducer partition on that partition's sorted records, as Hadoop does per spill. */
    private List<StreamRecord> combine(TaskContext ctx, int partition, List<StreamRecord> records) {
        List<List<StreamRecord>> byReducer = new ArrayList<>();
        for (int r = 0; r < reducers; r++) {
            byReducer.add(new ArrayList<>());
        }
        for (StreamRecord rec : records) {
            byReducer.get(reducerOf(rec)).add(rec);
        }
        List<StreamRecord> combined = new ArrayList<>();
        for (List<StreamRecord> bucket : byReducer) {
            if (bucket.isEmpty()) {
                continue;
            }
            bucket.sort(this::compareRecords);
            Path dir = taskDir(ctx, "m", partition);
            Iterator<byte[]> out = reporting(SubprocessPipe.run(inDir(combiner, dir), mapEnv(ctx, partition), dir,
                    SubprocessPipe.linesOf(mapped(bucket.iterator(), StreamRecord::line)), ctx, user, failOnNonZeroExit,
                    timeout, liveStderr), ctx, "m", partition, "combiner", combiner);
            out.forEachRemaining(line -> combined.add(reduceSplitter.split(line)));
        }
        framework.addFromTask(ctx, FRAMEWORK, "Combine input records", records.size());
        framework.addFromTask(ctx, FRAMEWORK, "Combine output records", combined.size());
        return combined;
    }

    /** The reducer of a record, by the job's partitioner. */
    private int reducerOf(StreamRecord r) {
        return partitioner == null ? HadoopTextPartitioner.partition(r.keyHash(), reducers)
                : partitioner.partition(r.line(), 0, r.keyLength(), reducers);
    }

    /** The job's record order: its key order, then key bytes, then value bytes. */
    private int compareRecords(StreamRecord a, StreamRecord b) {
        if (comparator != null) {
            int c = comparator.compare(a.line(), 0, a.keyLength(), b.line(), 0, b.keyLength());
            if (c != 0) {
                return c;
            }
        }
        return StreamRecord.ORDER.compare(a, b);
    }

    private Map<String, String> mapEnv(TaskContext ctx, int partition) {
        FileSplit split = splits.get(partition);
        Map<String, String> env = taskEnv(ctx, "m", partition);
        // A local split holds an absolute path; one on another file system holds its URI already.
        String file = split.path().startsWith("/") ? "file:" + split.path() : split.path();
        put(env, "mapreduce.map.input.file", file);
        put(env, "map.input.file", file);
        put(env, "mapreduce.map.input.start", Long.toString(split.start()));
        put(env, "mapreduce.map.input.length", Long.toString(split.length()));
        put(env, "mapreduce.task.ismap", "true");
        return env;
    }

    // ---- reduce side ----

    /** A reduce task's output lines from the blocks every map task made for it, sorted into Hadoop's order first. */
    Iterator<Object> reduce(TaskContext ctx, int partition, Iterator<Pair<Integer, RecordBlock>> shuffled) {
        List<RecordBlock> blocks = new ArrayList<>();
        shuffled.forEachRemaining(p -> blocks.add(p.value()));
        SortedRecords sorter = comparator == null ? BlockSorter.of(blocks) : KeyOrderSorter.of(blocks, comparator);
        Iterator<?> output;
        if (reducer == null) {
            output = outputSeparator == null ? sorter.sorted() : mapped(sorter.sorted(),
                    s -> withSeparator(s.array(), s.offset(), s.length(), RecordBlock.keyLengthOf(s)));
        } else {
            Map<String, String> env = taskEnv(ctx, "r", partition);
            put(env, "mapreduce.task.ismap", "false");
            // The keys are sorted on the pipe's writer thread, while the reducer process starts.
            Path dir = taskDir(ctx, "r", partition);
            output = mapped(reporting(SubprocessPipe.run(inDir(reducer, dir), env, dir, sorter::writeTo, ctx,
                    user, failOnNonZeroExit, timeout, liveStderr), ctx, "r", partition, "reducer", reducer),
                    line -> outputLine(reduceSplitter.split(line)));
        }
        long[] out = new long[1];
        return onEnd(mapped(output, l -> {
            out[0]++;
            return (Object) l;
        }), () -> {
            framework.addFromTask(ctx, FRAMEWORK, "Reduce input records", sorter.records());
            framework.addFromTask(ctx, FRAMEWORK, "Reduce input groups", sorter.groups());
            framework.addFromTask(ctx, FRAMEWORK, "Reduce output records", out[0]);
        });
    }

    // ---- shared ----

    /** A part-file line: the record's key, the output separator, its value. */
    private byte[] outputLine(StreamRecord r) {
        return outputSeparator == null ? r.line() : withSeparator(r.line(), 0, r.line().length, r.keyLength());
    }

    /** {@code line[from, from + length)}, whose key ({@code keyLength} bytes) is followed by a TAB, with the output separator instead. */
    private byte[] withSeparator(byte[] line, int from, int length, int keyLength) {
        int valueLength = length - keyLength - 1;
        byte[] out = new byte[keyLength + outputSeparator.length + valueLength];
        System.arraycopy(line, from, out, 0, keyLength);
        System.arraycopy(outputSeparator, 0, out, keyLength, outputSeparator.length);
        System.arraycopy(line, from + keyLength + 1, out, keyLength + outputSeparator.length, valueLength);
        return out;
    }

    /** Hadoop's task id: {@code task_<job>_m_000003} ({@code kind} "m" or "r"). */
    static String taskId(String jobId, String kind, int partition) {
        return jobId.replaceFirst("^job_", "task_") + "_" + kind + "_" + String.format(Locale.ROOT, "%06d", partition);
    }

    /** Hadoop's attempt id: {@code attempt_<job>_m_000003_1}. */
    static String attemptId(String jobId, String kind, int partition, int attempt) {
        return taskId(jobId, kind, partition).replaceFirst("^task_", "attempt_") + "_" + attempt;
    }

    private Map<String, String> taskEnv(TaskContext ctx, String kind, int partition) {
        Map<String, String> env = new TreeMap<>(baseEnv);
        put(env, "mapreduce.task.partition", Integer.toString(partition));
        put(env, "mapreduce.task.id", taskId(jobId, kind, partition));
        put(env, "mapreduce.task.attempt.id", attemptId(jobId, kind, partition, ctx.attemptNumber()));
        env.putAll(cmdenv);
        return env;
    }

    /**
     * The one-line failure of a command in this attempt (its stderr stays in the cause), so that the
     * scheduler's retry warning and the job's failure do not repeat the stderr shown with the attempt.
     */
    private StreamingTaskException failed(SubprocessFailedException e, TaskContext ctx, String kind, int partition,
                                          String role, List<String> command) {
        return new StreamingTaskException(attemptId(jobId, kind, partition, ctx.attemptNumber()),
                "subprocess failed with code " + e.exitCode() + " (" + role + " " + display(command) + ")", e);
    }

    /** The command as the user gave it: a shipped program by its name rather than its copy's path. */
    private String display(List<String> command) {
        List<String> words = new ArrayList<>(command);
        String program = CommandResolver.shippedProgram(words, shippedFiles);
        if (program != null) {
            words.set(0, program);
        }
        return String.join(" ", words);
    }

    /** {@code command} to run in {@code dir}: a shipped program ({@code ./name}) by the path of its link there. */
    private List<String> inDir(List<String> command, Path dir) {
        String program = CommandResolver.shippedProgram(command, shippedFiles);
        if (program == null) {
            return command;
        }
        List<String> words = new ArrayList<>(command);
        words.set(0, dir.resolve(program).toString());
        return words;
    }

    /** {@code lines}, with a command's failure turned into a {@link StreamingTaskException}. */
    private <T> Iterator<T> reporting(Iterator<T> lines, TaskContext ctx, String kind, int partition, String role,
                                      List<String> command) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return lines.hasNext();
                } catch (SubprocessFailedException e) {
                    throw failed(e, ctx, kind, partition, role, command);
                }
            }

            @Override
            public T next() {
                try {
                    return lines.next();
                } catch (SubprocessFailedException e) {
                    throw failed(e, ctx, kind, partition, role, command);
                }
            }
        };
    }

    static void put(Map<String, String> env, String key, String value) {
        env.put(StreamingJob.envName(key), value);
    }

    /**
     * A working directory for one attempt, in the scratch directory of the executor running it (on
     * its own host), holding links to this executor's copy of the shipped files (written by the
     * first attempt that needs them); removed when the attempt ends. The copies go with the
     * executor's scratch directory when the executor (in local mode, the context) stops.
     */
    private Path taskDir(TaskContext ctx, String kind, int partition) {
        Path jobDir = ExecutorScratch.dir(ctx).resolve("streaming").resolve(jobId);
        String attempt = "attempt_" + kind + "_" + partition + "_" + ctx.attemptNumber() + "_" + ctx.taskAttemptId();
        Path dir = jobDir.resolve(attempt);
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(jobDir);
                Path files = shipped == null ? null : shipped.value().materialize(jobDir, attempt);
                Files.createDirectories(dir);
                ctx.addCompletionListener(() -> ShippedFiles.deleteTree(dir));
                for (String name : shippedFiles) {
                    Files.createSymbolicLink(dir.resolve(name), files.resolve(name));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the task working directory " + dir + ": " + e.getMessage(), e);
        }
        return dir;
    }

    /** A lazily mapped iterator (no checked exceptions, no per-element allocation beyond f). */
    static <A, B> Iterator<B> mapped(Iterator<A> in, java.util.function.Function<A, B> f) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return in.hasNext();
            }

            @Override
            public B next() {
                return f.apply(in.next());
            }
        };
    }

    /** Runs {@code action} once, when {@code in} is found exhausted. */
    static <A> Iterator<A> onEnd(Iterator<A> in, Runnable action) {
        return new Iterator<>() {
            private boolean ended;

            @Override
            public boolean hasNext() {
                boolean more = in.hasNext();
                if (!more && !ended) {
                    ended = true;
                    action.run();
                }
                return more;
            }

            @Override
            public A next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return in.next();
            }
        };
    }

}
