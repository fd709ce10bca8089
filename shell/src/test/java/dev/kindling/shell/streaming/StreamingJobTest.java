package dev.kindling.shell.streaming;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end streaming jobs with python3 and coreutils programs, checked byte for byte against the
 * shell pipeline {@code cat input | mapper | LC_ALL=C sort | reducer} (one reducer), and against
 * an independent hash partitioning + sort per part file (several reducers).
 */
@Tag("slow")
class StreamingJobTest {

    static final String MAPPER = "#!" + Python.executable() + "\nimport sys\n"
            + "for line in sys.stdin:\n"
            + "    for w in line.split():\n"
            + "        print(w + '\\t1')\n";
    static final String REDUCER = "#!" + Python.executable() + "\nimport sys\n"
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

    @TempDir
    Path dir;
    Path input;
    Path mapper;
    Path reducer;
    final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void writeInputAndScripts() throws IOException {
        Random random = new Random(3);
        List<String> vocabulary = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            vocabulary.add((i % 7 == 0 ? "Été" : i % 5 == 0 ? "zz" : "w") + Integer.toString(i * 7919, 36));
        }
        StringBuilder text = new StringBuilder();
        for (int line = 0; line < 2500; line++) {
            for (int w = random.nextInt(12); w > 0; w--) {
                text.append(vocabulary.get((int) Math.abs(random.nextGaussian() * 80) % vocabulary.size())).append(' ');
            }
            text.append(line % 10 == 0 ? "\r\n" : "\n");
        }
        Files.createDirectories(dir.resolve("in"));
        String all = text.toString();
        int cut = all.indexOf('\n', all.length() / 2) + 1;
        input = dir.resolve("in");
        Files.writeString(input.resolve("a.txt"), all.substring(0, cut));
        Files.writeString(input.resolve("b.txt"), all.substring(cut));
        mapper = script("mapper.py", MAPPER);
        reducer = script("reducer.py", REDUCER);
    }

    private Path script(String name, String body) throws IOException {
        Path p = Files.writeString(dir.resolve(name), body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private int streaming(String... args) {
        List<String> all = new ArrayList<>(List.of("-D", "kindling.master=local[2]", "-D", "kindling.input.splitSize=15000"));
        all.addAll(Arrays.asList(args));
        return StreamingJob.run(all.toArray(new String[0]), new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    private String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    static byte[] shell(Path workDir, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", command).directory(workDir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "reference pipeline failed: " + command);
        return out;
    }

    private static byte[] concatParts(Path out) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Path part : parts(out)) {
            all.write(Files.readAllBytes(part));
        }
        return all.toByteArray();
    }

    private static List<Path> parts(Path out) throws IOException {
        try (Stream<Path> list = Files.list(out)) {
            return list.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
        }
    }

    @Test
    void wordCountWithOneReducerIsByteIdenticalToTheShellPipeline() throws Exception {
        Path out = dir.resolve("out");
        assertEquals(0, streaming("-input", input.toString(), "-output", out.toString(),
                "-mapper", "mapper.py", "-reducer", "reducer.py", "-file", mapper.toString(), "-file", reducer.toString()), log());
        byte[] expected = shell(dir, "cat in/a.txt in/b.txt | ./mapper.py | LC_ALL=C sort | ./reducer.py");
        assertEquals(List.of("_SUCCESS", "part-00000"), listing(out));
        assertArrayEquals(expected, concatParts(out));
        assertTrue(log().contains("completed successfully") && log().contains("Reduce input groups=")
                && log().contains("Output directory: " + out), log());
        assertFalse(Files.exists(out.resolve("_temporary")));
        long words = Long.parseLong(new String(shell(dir, "cat in/a.txt in/b.txt | wc -w"), StandardCharsets.UTF_8).trim());
        assertEquals(words, counter("Map output records"));
        assertEquals(words, counter("Reduce input records"));
        assertEquals(new String(expected, StandardCharsets.UTF_8).lines().count(), counter("Reduce input groups"));
        assertEquals(counter("Reduce input groups"), counter("Reduce output records"));
        assertEquals(2500, counter("Map input records"));
    }

    private static List<String> listing(Path out) throws IOException {
        try (Stream<Path> list = Files.list(out)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Expected part r: the reference map output lines whose key hashes to r, sorted, through the reducer. */
    private void assertPartsFollowHashPartitioning(Path out, int reducers, String reduceCommand) throws Exception {
        byte[] mapped = shell(dir, "cat in/a.txt in/b.txt | ./mapper.py");
        List<List<String>> buckets = new ArrayList<>();
        for (int r = 0; r < reducers; r++) {
            buckets.add(new ArrayList<>());
        }
        for (String line : new String(mapped, StandardCharsets.UTF_8).split("\n")) {
            String key = line.substring(0, line.indexOf('\t'));
            int hash = 1;
            for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
                hash = 31 * hash + b;
            }
            buckets.get((hash & Integer.MAX_VALUE) % reducers).add(line);
        }
        List<Path> parts = parts(out);
        assertEquals(reducers, parts.size());
        for (int r = 0; r < reducers; r++) {
            Path bucket = Files.writeString(dir.resolve("bucket" + r), buckets.get(r).stream()
                    .map(l -> l + "\n").collect(Collectors.joining()));
            byte[] expected = shell(dir, "LC_ALL=C sort " + bucket + " | " + reduceCommand);
            assertArrayEquals(expected, Files.readAllBytes(parts.get(r)), "part " + r);
        }
    }

    @Test
    void severalReducersEachGetTheirHashPartitionInByteOrder() throws Exception {
        Path out = dir.resolve("out3");
        assertEquals(0, streaming("-input", input + "/*.txt", "-output", out.toString(), "-numReduceTasks", "3",
                "-mapper", mapper.toString(), "-reducer", reducer.toString()), log());
        assertPartsFollowHashPartitioning(out, 3, "./reducer.py");
    }

    @Test
    void combinerGivesTheSameOutputWithFewerShuffledRecords() throws Exception {
        Path out = dir.resolve("combined");
        assertEquals(0, streaming("-D", "mapreduce.job.reduces=2", "-input", input.toString(), "-output", out.toString(),
                "-mapper", mapper.toString(), "-combiner", reducer.toString(), "-reducer", reducer.toString()), log());
        assertPartsFollowHashPartitioning(out, 2, "./reducer.py");
        long mapOut = counter("Map output records");
        assertEquals(mapOut, counter("Combine input records"));
        assertTrue(counter("Combine output records") < mapOut / 5, log());
        assertEquals(counter("Combine output records"), counter("Reduce input records"));
    }

    private long counter(String name) {
        for (String line : log().split("\n")) {
            if (line.trim().startsWith(name + "=")) {
                return Long.parseLong(line.trim().substring(name.length() + 1));
            }
        }
        throw new AssertionError("no counter " + name + " in:\n" + log());
    }

    @Test
    void identityReducerSortsAndCutLikeCommandsWork() throws Exception {
        Path out = dir.resolve("identity");
        assertEquals(0, streaming("-input", input.toString(), "-output", out.toString(), "-mapper", mapper.toString(),
                "-reducer", "cut -f1", "-numReduceTasks", "2"), log());
        assertPartsFollowHashPartitioning(out, 2, "cut -f1 | sed 's/$/\t/'");
        Path ident = dir.resolve("ident");
        assertEquals(0, streaming("-input", input.toString(), "-output", ident.toString(), "-mapper", mapper.toString()), log());
        assertArrayEquals(shell(dir, "cat in/a.txt in/b.txt | ./mapper.py | LC_ALL=C sort"), concatParts(ident));
    }

    @Test
    void mapOnlyJobsWriteOnePartPerSplitWithKeyTabValueLines() throws Exception {
        Path out = dir.resolve("maponly");
        Files.writeString(input.resolve("c.txt"), "no tab here\nkey\tvalue\tmore\n\nlast");
        assertEquals(0, streaming("-input", input.toString(), "-output", out.toString(), "-mapper", "cat",
                "-reducer", "NONE"), log());
        String expected = new String(shell(dir, "cat in/a.txt in/b.txt in/c.txt | tr -d '\\r'"), StandardCharsets.UTF_8)
                .lines().map(l -> l.contains("\t") ? l : l + "\t").map(l -> l + "\n").collect(Collectors.joining());
        assertEquals(expected, new String(concatParts(out), StandardCharsets.UTF_8));
        assertTrue(parts(out).size() > 2, "one part per split");
        assertEquals(0, streaming("-input", input.toString(), "-output", dir.resolve("zero").toString(),
                "-numReduceTasks", "0", "-mapper", "wc -l"), log());
        long lines = new String(concatParts(dir.resolve("zero")), StandardCharsets.UTF_8).lines()
                .mapToLong(l -> Long.parseLong(l.trim())).sum();
        assertEquals(expected.lines().count(), lines);
    }

    @Test
    void customSeparatorsAndKeyFieldCountsFollowHadoop() throws Exception {
        Files.writeString(dir.resolve("dots.txt"), "a.b.c\nx\na.b\nb.a.z.q\na.b.a\n");
        Path out = dir.resolve("dots");
        assertEquals(0, streaming("-D", "stream.map.output.field.separator=.", "-D", "stream.num.map.output.key.fields=2",
                "-D", "stream.reduce.output.field.separator=:", "-input", dir.resolve("dots.txt").toString(),
                "-output", out.toString(), "-mapper", "cat", "-reducer", "cat"), log());
        // Keys a.b (values "", a, c), b.a (value z.q), x (""); each reducer line has no ':' so it becomes the key.
        assertEquals("a.b\t\t\na.b\ta\t\na.b\tc\t\nb.a\tz.q\t\nx\t\t\n",
                Files.readString(out.resolve("part-00000")));
        Path out2 = dir.resolve("dots2");
        assertEquals(0, streaming("-D", "stream.num.reduce.output.key.fields=2", "-input", dir.resolve("dots.txt").toString(),
                "-output", out2.toString(), "-mapper", "sed s/[.]/\t/g", "-reducer", "cat"), log());
        // "x" maps to key x, empty value; the reducer echoes "x<TAB>", which has fewer than 2 TABs, so it
        // all becomes the key and gets another TAB.
        assertEquals("a\tb\t\na\tb\ta\na\tb\tc\nb\ta\tz\tq\nx\t\t\n", Files.readString(out2.resolve("part-00000")));
    }

    @Test
    void childEnvironmentHasJobSettingsAndCmdenv() throws Exception {
        Path out = dir.resolve("env");
        Files.writeString(dir.resolve("one.txt"), "line\n");
        assertEquals(0, streaming("-D", "mapreduce.job.name=my-job", "-input", dir.resolve("one.txt").toString(),
                "-output", out.toString(), "-cmdenv", "GREETING=hi there", "-reducer", "NONE",
                "-mapper", "sh -c 'cat >/dev/null; echo \"$mapreduce_job_name|$GREETING|$mapreduce_map_input_file|$mapreduce_task_partition\"'"),
                log());
        assertEquals("my-job|hi there|file:" + dir.resolve("one.txt").toAbsolutePath() + "|0\t\n",
                Files.readString(out.resolve("part-00000")));
    }

    @Test
    void userCountersAreReportedAndFailedAttemptsAreRetriedWithoutDoubleCounting() throws Exception {
        Path marker = dir.resolve("failed-once");
        Path counting = script("counting.sh", "#!/bin/sh\nn=0\nwhile IFS= read -r line; do n=$((n+1)); printf '%s\\t1\\n' \"$line\"; done\n"
                + "echo \"reporter:counter:MyGroup,lines,$n\" >&2\n"
                + "if [ ! -e " + marker + " ]; then touch " + marker + "; echo 'first attempt dies' >&2; exit 7; fi\n");
        Files.writeString(dir.resolve("five.txt"), "a\nb\nc\nd\ne\n");
        Path out = dir.resolve("counted");
        assertEquals(0, streaming("-D", "mapreduce.job.maps=1", "-input", dir.resolve("five.txt").toString(),
                "-output", out.toString(), "-mapper", counting.toString()), log());
        assertEquals(5, counter("lines"));
        assertTrue(log().contains("\tMyGroup"), log());
        assertEquals(1, counter("Failed map tasks"));
        assertEquals(2, counter("Launched map tasks"));
        assertEquals("a\t1\nb\t1\nc\t1\nd\t1\ne\t1\n", Files.readString(out.resolve("part-00000")));
    }

    @Test
    void whenTheMapperAlwaysFails_thenExitIsOneWithItsStderrAndNoOutputIsLeft() throws Exception {
        Path failing = script("fail.sh", "#!/bin/sh\ncat >/dev/null\necho 'mapper exploded on purpose' >&2\nexit 3\n");
        Path out = dir.resolve("failed");
        assertEquals(1, streaming("-input", input.toString(), "-output", out.toString(), "-mapper", failing.toString()));
        assertTrue(log().contains("subprocess failed with code 3") && log().contains("mapper exploded on purpose"), log());
        assertTrue(log().contains("Streaming Command Failed!"), log());
        assertFalse(Files.exists(out));
    }

    @Test
    void setupErrorsUseHadoopsExitCodesBeforeAnyTaskRuns() throws Exception {
        Path out = dir.resolve("never");
        assertEquals(2, streaming("-input", dir.resolve("missing").toString(), "-output", out.toString()));
        assertTrue(log().contains(dir.resolve("missing").toString()), log());
        assertEquals(2, streaming("-input", dir + "/*.nothing", "-output", out.toString()));
        Path exists = Files.createDirectories(dir.resolve("exists"));
        assertEquals(4, streaming("-input", input.toString(), "-output", exists.toString()));
        Path marker = dir.resolve("ran");
        assertEquals(3, streaming("-input", input.toString(), "-output", out.toString(),
                "-mapper", "no-such-program-anywhere --x", "-reducer", "sh -c 'touch " + marker + "'"));
        assertTrue(log().contains("no-such-program-anywhere"), log());
        assertEquals(3, streaming("-input", input.toString(), "-output", out.toString(), "-mapper", "./not/here.py"));
        assertEquals(1, streaming("-input", input.toString(), "-output", out.toString(), "-file", dir + "/nope.py"));
        assertEquals(3, streaming("-input", input.toString(), "-output", out.toString(),
                "-D", "stream.num.map.output.key.fields=x"));
        assertEquals(1, streaming("-input", input.toString()));
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(marker));
        assertEquals(0, streaming("-help"));
    }

    /** Issue 10: with overwrite, {@code -output} naming the input deleted the input before the job read it. */
    @Test
    void whenOverwriteNamesTheInputAsOutput_thenTheJobIsRefusedWithExitFourAndTheInputSurvives() throws Exception {
        byte[] a = Files.readAllBytes(input.resolve("a.txt"));
        byte[] b = Files.readAllBytes(input.resolve("b.txt"));
        for (Path out : List.of(input, dir)) {
            assertEquals(4, streaming("-D", "kindling.output.overwrite=true", "-D", "kindling.output.overwrite.force=true",
                    "-input", input.toString(), "-output", out.toString(), "-mapper", "cat"));
            assertTrue(log().contains("Refusing to overwrite " + out) && log().contains("an input of this job"), log());
        }
        assertEquals(1, streaming("-input", input.toString(), "-output", "", "-mapper", "cat"));
        assertTrue(log().contains("-output is empty"), log());
        assertArrayEquals(a, Files.readAllBytes(input.resolve("a.txt")));
        assertArrayEquals(b, Files.readAllBytes(input.resolve("b.txt")));
    }
}
