package dev.kindling.shell.streaming;

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
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streaming jobs with KeyFieldBasedPartitioner and KeyFieldBasedComparator (the secondary-sort
 * idiom), and the checking of {@code -D} settings, through the streaming command line. Part files
 * are checked against an independent computation: Hadoop's field hash written out here, and
 * coreutils {@code LC_ALL=C sort} for the order.
 */
@Tag("slow")
class StreamingKeyFieldJobTest {

    private static final String[] SECONDARY_SORT = {
        "-D", "stream.num.map.output.key.fields=2",
        "-D", "mapreduce.job.output.key.comparator.class=org.apache.hadoop.mapred.lib.KeyFieldBasedComparator",
        "-D", "mapreduce.partition.keycomparator.options=-k1,1 -k2,2nr",
        "-D", "mapreduce.partition.keypartitioner.options=-k1,1",
        "-partitioner", "org.apache.hadoop.mapred.lib.KeyFieldBasedPartitioner",
    };

    @TempDir
    Path dir;
    Path input;
    /** user TAB time TAB event; times unique per user. */
    final List<String> lines = new ArrayList<>();
    final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void writeInput() throws IOException {
        Random random = new Random(11);
        Set<String> seen = new HashSet<>();
        while (lines.size() < 4000) {
            String user = "u" + random.nextInt(150) + (random.nextInt(10) == 0 ? "é" : "");
            int time = random.nextInt(100_000);
            if (seen.add(user + "/" + time)) {
                lines.add(user + "\t" + time + "\t" + (random.nextBoolean() ? "click" : "view") + random.nextInt(9));
            }
        }
        input = Files.write(dir.resolve("events.txt"), lines, StandardCharsets.UTF_8);
    }

    private int streaming(String... args) {
        log.reset();
        List<String> all = new ArrayList<>(List.of("-D", "kindling.master=local[2]", "-D", "kindling.input.splitSize=20000"));
        all.addAll(Arrays.asList(args));
        return StreamingJob.run(all.toArray(new String[0]), new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    private String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Arrays.stream(a), Arrays.stream(b)).toArray(String[]::new);
    }

    /** Hadoop's KeyFieldBasedPartitioner for -k1,1 written out: h = 31 * h + b over field 1's UTF-8 bytes, from 0. */
    private static int reducerOf(String line, int reducers) {
        int h = 0;
        for (byte b : line.substring(0, line.indexOf('\t')).getBytes(StandardCharsets.UTF_8)) {
            h = 31 * h + b;
        }
        return (h & Integer.MAX_VALUE) % reducers;
    }

    private List<String> gnuSort(List<String> bucket, String... keys) throws Exception {
        Path file = Files.write(dir.resolve("bucket.txt"), bucket, StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of("sort", "-t", "\t"));
        command.addAll(List.of(keys));
        command.add(file.toString());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("LC_ALL", "C");
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        return out.lines().toList();
    }

    private static List<String> part(Path out, int r) throws IOException {
        return Files.readAllLines(out.resolve(String.format("part-%05d", r)), StandardCharsets.UTF_8);
    }

    @Test
    void secondarySortPartitionsOnTheUserAndSortsEachUsersEventsNewestFirst() throws Exception {
        Path out = dir.resolve("sorted");
        assertEquals(0, streaming(concat(SECONDARY_SORT, "-input", input.toString(), "-output", out.toString(),
                "-mapper", "cat", "-reducer", "cat", "-numReduceTasks", "3")), log());
        for (int r = 0; r < 3; r++) {
            int reducer = r;
            List<String> bucket = lines.stream().filter(l -> reducerOf(l, 3) == reducer).toList();
            assertEquals(gnuSort(bucket, "-k1,1", "-k2,2nr"), part(out, r), "part " + r);
        }
        // Hadoop groups reduce input with the output key comparator: every (user, time) is its own group here.
        assertEquals(lines.size(), counter("Reduce input groups"), log());
    }

    @Test
    void theReducerOfTheIdiomSeesEachUsersNewestEventFirst() throws Exception {
        Path script = Files.writeString(dir.resolve("newest.py"), "#!" + Python.executable() + "\nimport sys\n"
                + "last = None\n"
                + "for line in sys.stdin:\n"
                + "    user, time, event = line.rstrip('\\n').split('\\t')\n"
                + "    if user != last:\n"
                + "        print(user + '\\t' + event + '@' + time)\n"
                + "        last = user\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        // A combiner that keeps each user's first line: right only if it too gets its records newest first.
        Path first = Files.writeString(dir.resolve("first.py"), "#!" + Python.executable() + "\nimport sys\n"
                + "last = None\n"
                + "for line in sys.stdin:\n"
                + "    user = line.split('\\t', 1)[0]\n"
                + "    if user != last:\n"
                + "        sys.stdout.write(line)\n"
                + "        last = user\n");
        Files.setPosixFilePermissions(first, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path out = dir.resolve("newest");
        assertEquals(0, streaming(concat(SECONDARY_SORT, "-input", input.toString(), "-output", out.toString(),
                "-file", script.toString(), "-reducer", "newest.py", "-numReduceTasks", "4")), log());
        Path combined = dir.resolve("newest-combined");
        assertEquals(0, streaming(concat(SECONDARY_SORT, "-D", "stream.num.reduce.output.key.fields=2", "-input",
                input.toString(), "-output", combined.toString(), "-file", script.toString(), "-file", first.toString(),
                "-combiner", "first.py", "-reducer", "newest.py", "-numReduceTasks", "4")), log());
        assertTrue(counter("Combine output records") < counter("Combine input records"), log());
        // Independently: per user the event with the largest time; users of a reducer in UTF-8 byte order.
        Map<String, String[]> newest = new TreeMap<>();
        for (String l : lines) {
            String[] f = l.split("\t");
            newest.merge(f[0], f, (a, b) -> Integer.parseInt(a[1]) >= Integer.parseInt(b[1]) ? a : b);
        }
        Comparator<String> bytes = (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
                b.getBytes(StandardCharsets.UTF_8));
        for (int r = 0; r < 4; r++) {
            int reducer = r;
            List<String> expected = newest.values().stream().filter(f -> reducerOf(f[0] + "\t", 4) == reducer)
                    .sorted(Comparator.comparing((String[] f) -> f[0], bytes))
                    .map(f -> f[0] + "\t" + f[2] + "@" + f[1]).collect(Collectors.toList());
            assertEquals(expected, part(out, r), "part " + r);
            // stream.num.reduce.output.key.fields=2 (for the combiner's output) also splits the reducer's: its lines have
            // one TAB, so they are all key and get a trailing TAB, as on Hadoop.
            assertEquals(expected.stream().map(l -> l + "\t").toList(), part(combined, r), "part " + r + " with the combiner");
        }
    }

    @Test
    void deprecatedNamesAndTheComparatorAloneWork() throws Exception {
        Path out = dir.resolve("old-names");
        assertEquals(0, streaming("-D", "mapred.reduce.tasks=2", "-D", "stream.num.map.output.key.fields=2",
                "-D", "mapred.output.key.comparator.class=org.apache.hadoop.mapreduce.lib.partition.KeyFieldBasedComparator",
                "-D", "mapred.text.key.comparator.options=-k2,2n -k1,1r", "-input", input.toString(),
                "-output", out.toString(), "-mapper", "cat"), log());
        // Default partitioning: Hadoop's Text hash (from 1) over the whole key "user TAB time".
        for (int r = 0; r < 2; r++) {
            int reducer = r;
            List<String> bucket = lines.stream().filter(l -> {
                int h = 1;
                for (byte b : l.substring(0, l.lastIndexOf('\t')).getBytes(StandardCharsets.UTF_8)) {
                    h = 31 * h + b;
                }
                return (h & Integer.MAX_VALUE) % 2 == reducer;
            }).toList();
            assertEquals(gnuSort(bucket, "-k2,2n", "-k1,1r"), part(out, r), "part " + r);
        }
    }

    @Test
    void settingsThatWouldChangeResultsButAreNotImplementedAreErrorsNamingThem() throws Exception {
        Path out = dir.resolve("never");
        for (String[] bad : List.of(
                new String[] {"-D", "mapreduce.output.basename=out"},
                new String[] {"-D", "mapred.max.split.size=1000"},
                new String[] {"-D", "stream.reduce.input.field.separator=:"},
                new String[] {"-D", "mapreduce.job.output.group.comparator.class=x.Grouping"},
                new String[] {"-D", "mapreduce.job.output.key.comparator.class=org.apache.hadoop.io.LongWritable$DecreasingComparator"},
                new String[] {"-partitioner", "org.apache.hadoop.mapred.lib.TotalOrderPartitioner"},
                new String[] {"-D", "mapreduce.output.fileoutputformat.compress.codec=org.apache.hadoop.io.compress.BZip2Codec"})) {
            assertEquals(3, streaming(concat(bad, "-input", input.toString(), "-output", out.toString(), "-mapper", "cat")),
                    log());
            String key = bad[1].contains("=") ? bad[1].substring(0, bad[1].indexOf('=')) : "mapreduce.job.partitioner.class";
            assertTrue(log().contains(key) && log().contains("Streaming Command Failed!"), log());
        }
        assertEquals(3, streaming(concat(SECONDARY_SORT, "-D", "mapreduce.partition.keycomparator.options=-k2,x",
                "-input", input.toString(), "-output", out.toString())), log());
        assertTrue(log().contains("mapreduce.partition.keycomparator.options=-k2,x") && log().contains("-k pos1[,pos2]"), log());
        assertFalse(Files.exists(out));
        // The value that changes nothing is accepted.
        assertEquals(0, streaming("-D", "mapreduce.output.textoutputformat.separator=\t", "-D", "stream.map.output=text",
                "-D", "mapreduce.map.memory.mb=4096", "-input", input.toString(), "-output", out.toString(), "-mapper", "cat"),
                log());
        assertFalse(log().contains("WARNING"), log());
    }

    @Test
    void unknownSettingsAndOptionsWithoutEffectGetWarnings() throws Exception {
        Path out = dir.resolve("warned");
        assertEquals(0, streaming("-D", "mapreduce.job.reduce=3", "-D", "my.own.flag=1",
                "-D", "mapreduce.partition.keycomparator.options=-k2,2n", "-input", input.toString(),
                "-output", out.toString(), "-mapper", "cat", "-reducer", "cut -f1"), log());
        assertTrue(log().contains("WARNING streaming: -D mapreduce.job.reduce is not a setting")
                && log().contains("Did you mean mapreduce.job.reduces?"), log());
        assertTrue(log().contains("WARNING streaming: -D my.own.flag is not a setting") , log());
        assertTrue(log().contains("mapreduce.partition.keycomparator.options has no effect without"), log());
        // A -k beyond the key's fields (the usual slip: stream.num.map.output.key.fields left at 1) is pointed out.
        assertEquals(0, streaming(concat(SECONDARY_SORT, "-D", "stream.num.map.output.key.fields=1", "-input", input.toString(),
                "-output", dir.resolve("one-field").toString(), "-mapper", "cat", "-reducer", "NONE")), log());
        assertTrue(log().contains("-k2 selects nothing") && log().contains("stream.num.map.output.key.fields=2?"), log());
        // The setting really had no effect: one reducer, keys in byte order.
        assertEquals(gnuSort(lines.stream().map(l -> l.substring(0, l.indexOf('\t'))).toList()).stream()
                .map(u -> u + "\t").toList(), part(out, 0));
    }

    @Test
    void theOutputSeparatorGoesBetweenKeyAndValueInEveryKindOfJob() throws Exception {
        List<String> expected = lines.stream().map(l -> l.replaceFirst("\t", "::")).toList();
        Path mapOnly = dir.resolve("sep-map-only");
        assertEquals(0, streaming("-D", "mapreduce.output.textoutputformat.separator=::", "-input", input.toString(),
                "-output", mapOnly.toString(), "-mapper", "cat", "-reducer", "NONE"), log());
        List<String> all = new ArrayList<>();
        try (Stream<Path> parts = Files.list(mapOnly)) {
            for (Path p : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
                all.addAll(Files.readAllLines(p, StandardCharsets.UTF_8));
            }
        }
        assertEquals(expected, all);
        // Identity reducer, and a reducer whose lines are split again (old name of the setting).
        Path identity = dir.resolve("sep-identity");
        assertEquals(0, streaming("-D", "mapred.textoutputformat.separator=::", "-D", "stream.num.map.output.key.fields=2",
                "-input", input.toString(), "-output", identity.toString(), "-mapper", "cat"), log());
        assertEquals(gnuSort(lines).stream().map(l -> l.replaceFirst("\t([^\t]*)\t", "\t$1::")).toList(), part(identity, 0));
        Path reduced = dir.resolve("sep-reduced");
        assertEquals(0, streaming("-D", "mapreduce.output.textoutputformat.separator=,", "-input", input.toString(),
                "-output", reduced.toString(), "-mapper", "cut -f1", "-reducer", "uniq -c"), log());
        // uniq -c lines have no TAB: all key, empty value, so each ends with the separator.
        List<String> users = gnuSort(lines.stream().map(l -> l.substring(0, l.indexOf('\t'))).toList());
        Map<String, Long> counts = new TreeMap<>();
        users.forEach(u -> counts.merge(u, 1L, Long::sum));
        assertEquals(users.stream().distinct().map(u -> String.format("%7d %s,", counts.get(u), u)).toList(), part(reduced, 0));
    }

    @Test
    void streamAddEnvironmentReachesTheCommandsBeforeCmdenv() throws Exception {
        Path one = Files.writeString(dir.resolve("one.txt"), "x\n");
        Path out = dir.resolve("env");
        assertEquals(0, streaming("-D", "stream.addenvironment=A=1 B=two", "-cmdenv", "B=three", "-input", one.toString(),
                "-output", out.toString(), "-reducer", "NONE", "-mapper", "sh -c 'cat >/dev/null; echo \"$A|$B\"'"), log());
        assertEquals(List.of("1|three\t"), part(out, 0));
        assertEquals(3, streaming("-D", "stream.addenvironment=A=1 oops", "-input", one.toString(),
                "-output", dir.resolve("env2").toString()), log());
        assertTrue(log().contains("\"oops\" is not NAME=VALUE"), log());
    }

    private long counter(String name) {
        for (String line : log().split("\n")) {
            if (line.trim().startsWith(name + "=")) {
                return Long.parseLong(line.trim().substring(name.length() + 1));
            }
        }
        throw new AssertionError("no counter " + name + " in:\n" + log());
    }
}
