package dev.kindling.benchmarks;

import dev.kindling.examples.ExampleCommand;
import dev.kindling.shell.streaming.StreamingJob;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * Streaming word count over generated text with python3 mapper and reducer scripts: Kindling's
 * Hadoop Streaming runner on 2 executor threads against the shell pipeline
 * {@code cat input | mapper | LC_ALL=C sort | reducer} on the same input, in the same run. Checks
 * that both produce the same counts, then prints a table of wall times (median of the timed runs,
 * after one warm-up of each) and the ratio to the pipeline.
 *
 * <p>Rows: the runner in this JVM with 1 and 2 reducers, and the runner in a fresh JVM (what
 * {@code bin/kindling streaming} costs, JVM start-up included). The scripts name the python
 * interpreter directly (resolved from {@code python3} once), so a version-manager shim's start-up
 * is not measured in either pipeline.
 *
 * <p>Command (from the project root):
 * <pre>
 * mvn -B -o -q package -DskipTests -pl benchmarks -am
 * java -cp "benchmarks/target/classes:rdd-core/target/classes:scheduler/target/classes:storage/target/classes:\
 * $HOME/.m2/repository/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar" \
 *     dev.kindling.benchmarks.StreamingBenchmark [megabytes=20] [runs=3]   (--help describes them)
 * </pre>
 */
public final class StreamingBenchmark {

    private static final String MAPPER = "import sys\n"
            + "for line in sys.stdin:\n"
            + "    for w in line.split():\n"
            + "        print(w + '\\t1')\n";
    private static final String REDUCER = "import sys\n"
            + "cur = None\nn = 0\n"
            + "for line in sys.stdin:\n"
            + "    k, v = line.rstrip('\\n').split('\\t', 1)\n"
            + "    if k != cur:\n"
            + "        if cur is not None:\n"
            + "            print(cur + '\\t' + str(n))\n"
            + "        cur, n = k, 0\n"
            + "    n += int(v)\n"
            + "if cur is not None:\n"
            + "    print(cur + '\\t' + str(n))\n";

    private StreamingBenchmark() {
    }

    /**
     * Runs the comparison: {@code [megabytes] [runs]}; {@code --help} describes it. ({@code --job ...}
     * is how the benchmark starts the runner in a fresh JVM: the rest are streaming arguments.)
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--job")) {
            System.exit(StreamingJob.run(Arrays.copyOfRange(args, 1, args.length), new PrintStream(OutputStream.nullOutputStream())));
        }
        ExampleCommand.main(new Cli(), args);
    }

    /** The command line: megabytes of input and timed runs per variant. */
    @Command(name = "StreamingBenchmark", showDefaultValues = true,
            description = {"Streaming word count with python3 mapper and reducer: Kindling's Hadoop Streaming runner",
                    "against 'cat input | mapper | LC_ALL=C sort | reducer' on the same generated text."})
    static final class Cli implements Callable<Integer> {
        @Mixin
        ExampleCommand.HelpOption help;

        @Parameters(index = "0", arity = "0..1", paramLabel = "<megabytes>", description = "Megabytes of input text.")
        int megabytes = 20;

        @Parameters(index = "1", arity = "0..1", paramLabel = "<runs>", description = "Timed runs per variant.")
        int runs = 3;

        @Override
        public Integer call() throws Exception {
            Path dir = Files.createTempDirectory("kindling-streaming-bench");
            try {
                run(dir, megabytes, runs);
            } finally {
                delete(dir);
            }
            return 0;
        }
    }

    private static void run(Path dir, int megabytes, int runs) throws Exception {
        Path input = dir.resolve("input.txt");
        long words = generate(input, megabytes * 1024L * 1024L);
        String python = pythonExecutable();
        Path mapper = script(dir.resolve("mapper.py"), "#!" + python + "\n" + MAPPER);
        Path reducer = script(dir.resolve("reducer.py"), "#!" + python + "\n" + REDUCER);
        String pipeline = "cat " + input + " | " + mapper + " | LC_ALL=C sort | " + reducer + " > " + dir.resolve("reference.txt");

        List<String> reference = null;
        String[] names = {"shell: cat | mapper | LC_ALL=C sort | reducer", "kindling streaming, 2 threads, 2 reducers",
            "kindling streaming, 2 threads, 1 reducer", "kindling streaming, 2 reducers, fresh JVM"};
        long[][] times = new long[names.length][runs];
        for (int r = -1; r < runs; r++) {
            for (int v = 0; v < names.length; v++) {
                Path out = dir.resolve("out-" + v + "-" + (r + 1));
                List<String> job = List.of("-D", "kindling.master=local[2]", "-input", input.toString(), "-output", out.toString(),
                        "-mapper", mapper.toString(), "-reducer", reducer.toString(), "-numReduceTasks", v == 2 ? "1" : "2");
                long start = System.nanoTime();
                if (v == 0) {
                    exec(List.of("sh", "-c", pipeline));
                } else if (v == 3) {
                    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                            "-cp", System.getProperty("java.class.path"), StreamingBenchmark.class.getName(), "--job"));
                    command.addAll(job);
                    exec(command);
                } else {
                    ByteArrayOutputStream log = new ByteArrayOutputStream();
                    int status = StreamingJob.run(job.toArray(new String[0]), new PrintStream(log, true, StandardCharsets.UTF_8));
                    if (status != 0) {
                        throw new IllegalStateException("streaming job failed with status " + status + ":\n" + log);
                    }
                }
                long elapsed = System.nanoTime() - start;
                if (r >= 0) {
                    times[v][r] = elapsed;
                }
                if (v == 0 && reference == null) {
                    reference = sortedLines(List.of(dir.resolve("reference.txt")));
                } else if (v > 0 && r == -1) {
                    List<String> got = sortedLines(parts(out));
                    if (!got.equals(reference)) {
                        throw new IllegalStateException("'" + names[v] + "' output differs from the shell pipeline's");
                    }
                }
            }
        }
        double base = median(times[0]);
        System.out.printf(Locale.ROOT, "Streaming word count: %d MB, %,d words, %d distinct counts; %d cores visible; median of %d runs%n",
                megabytes, words, reference.size(), Runtime.getRuntime().availableProcessors(), runs);
        System.out.printf(Locale.ROOT, "%-48s %10s %8s   %s%n", "variant", "wall ms", "ratio", "runs (ms)");
        for (int v = 0; v < names.length; v++) {
            double m = median(times[v]);
            System.out.printf(Locale.ROOT, "%-48s %10.0f %7.2fx   %s%n", names[v], m / 1e6, m / base,
                    Arrays.toString(Arrays.stream(times[v]).map(t -> t / 1_000_000).toArray()));
        }
    }

    private static long generate(Path file, long bytes) throws IOException {
        Random random = new Random(42);
        String[] vocabulary = new String[50_000];
        for (int i = 0; i < vocabulary.length; i++) {
            vocabulary[i] = Integer.toString(i * 7919 + 1000, 36) + (i % 13 == 0 ? "é" : "");
        }
        long written = 0;
        long words = 0;
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            while (written < bytes) {
                line.setLength(0);
                for (int n = 1 + random.nextInt(14); n > 0; n--) {
                    // Zipf-like: small ranks are frequent, as in real text.
                    int rank = (int) Math.min(vocabulary.length - 1, Math.floor(Math.pow(vocabulary.length, random.nextDouble())) - 1);
                    line.append(vocabulary[rank]).append(' ');
                    words++;
                }
                line.append('\n');
                w.write(line.toString());
                written += line.length();
            }
        }
        return words;
    }

    private static String pythonExecutable() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").start();
        String path = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0 || path.isEmpty()) {
            throw new IllegalStateException("python3 is needed on the PATH for this benchmark");
        }
        return path;
    }

    private static Path script(Path path, String body) throws IOException {
        Files.writeString(path, body);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        return path;
    }

    private static void exec(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("command failed with status " + p.exitValue() + ": " + command);
        }
    }

    private static List<Path> parts(Path out) throws IOException {
        try (Stream<Path> list = Files.list(out)) {
            return list.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
        }
    }

    private static List<String> sortedLines(List<Path> files) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path f : files) {
            lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
        }
        lines.sort(null);
        return lines;
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2.0;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
