package dev.kindling.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kindling run|streaming --master local-cluster[...]} run on executor processes, from a real
 * child JVM, and print or write what they do in local mode.
 */
@Tag("slow")
class LocalClusterCliTest {

    @TempDir
    Path dir;

    /**
     * The Python word count writes the same bytes on executor processes as in local mode, and every
     * mapper ran the copy of the shipped script that its executor wrote into its own scratch
     * directory (not a file of the driver's), from a working directory there; nothing is left in
     * the scratch directories afterwards.
     */
    @Test
    void streamingWithPythonOnLocalClusterWritesTheBytesOfTheLocalRun() throws Exception {
        String[] words = {"alpha", "beta", "gamma", "delta", "epsilon"};
        String text = IntStream.range(0, 4000)
                .mapToObj(i -> words[i % 5] + " " + words[(i * 7) % 5] + " " + words[(i * i) % 5])
                .collect(Collectors.joining("\n", "", "\n"));
        Path input = Files.writeString(dir.resolve("in.txt"), text);
        List<Path> scripts = StreamingScripts.write(dir);
        Map<String, byte[]> local = streaming("local[2]", input, scripts);
        Map<String, byte[]> cluster = streaming("local-cluster[2,1,256]", input, scripts);

        String job = "/streaming/job_kindling[0-9_]+/";
        for (StreamingScripts.Note note : StreamingScripts.notes(dir.resolve("where-" + name("local[2]")))) {
            assertEquals("driver", note.seen());
            String scratch = Pattern.quote(scratch("local[2]").toString()) + "/kindling-[^/]+";
            assertTrue(note.script().matches(scratch + job + "files/mapper.py"), note::toString);
            assertTrue(note.workDir().matches(scratch + job + "attempt_m_[0-9_]+"), note::toString);
        }
        for (StreamingScripts.Note note : StreamingScripts.notes(dir.resolve("where-" + name("local-cluster[2,1,256]")))) {
            assertEquals("executor", note.seen());
            // The executor's own copy, next to the attempt's working directory in its scratch directory.
            Matcher m = Pattern.compile(Pattern.quote(scratch("local-cluster[2,1,256]").toString())
                    + "/kindling-[^/]+/executor-[^/]+" + job).matcher(note.script());
            assertTrue(m.lookingAt() && note.script().substring(m.end()).equals("files/mapper.py"), note::toString);
            assertTrue(note.workDir().matches(Pattern.quote(m.group()) + "attempt_m_[0-9_]+"), note::toString);
        }
        for (String master : List.of("local[2]", "local-cluster[2,1,256]")) {
            try (var left = Files.walk(scratch(master))) {
                assertEquals(List.of(scratch(master)), left.toList(), "left in the scratch directory of " + master);
            }
        }
        assertEquals(local.keySet(), cluster.keySet());
        for (String part : local.keySet()) {
            assertTrue(java.util.Arrays.equals(local.get(part), cluster.get(part)), part + " differs");
        }
        Map<String, Long> expected = java.util.Arrays.stream(text.split("\\s+"))
                .collect(Collectors.groupingBy(w -> w, TreeMap::new, Collectors.counting()));
        assertEquals(expected, StreamingScripts.counts(cluster));
    }

    private static String name(String master) {
        return master.replaceAll("[^a-z0-9]", "_");
    }

    /** The kindling.local.dir of the run on {@code master} (a real path, as the mappers see it). */
    private Path scratch(String master) throws IOException {
        return dir.toRealPath().resolve("scratch-" + name(master));
    }

    /** Runs the Python word count with {@code --master master}; returns the output directory's files. */
    private Map<String, byte[]> streaming(String master, Path input, List<Path> scripts) throws Exception {
        Path out = dir.resolve("out-" + name(master));
        Path where = Files.createDirectory(dir.resolve("where-" + name(master)));
        Files.createDirectory(scratch(master));
        Processes.Result r = Processes.kindling(null, "streaming", "--master", master, "-cmdenv", "WHERE=" + where,
                "-D", "mapreduce.job.reduces=2", "-D", "kindling.input.splitSize=20000",
                "-D", "kindling.local.dir=" + scratch(master),
                "-input", input.toString(), "-output", out.toString(),
                "-mapper", "python3 mapper.py", "-reducer", "python3 reducer.py",
                "-file", scripts.get(0).toString(), "-file", scripts.get(1).toString());
        assertEquals(0, r.exitCode(), r::all);
        Map<String, byte[]> files = new TreeMap<>();
        try (var listing = Files.list(out)) {
            for (Path f : listing.toList()) {
                files.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        assertTrue(files.containsKey("_SUCCESS") && files.containsKey("part-00001"), files::toString);
        return files;
    }

    @Test
    void kmeansOnLocalClusterPrintsWhatItPrintsInLocalMode() throws Exception {
        String[] example = {"kmeans", "--generate", "3000", "--dims", "2", "--k", "3", "--seed", "1", "--iterations", "4"};
        Processes.Result local = Processes.kindling(null, concat(new String[] {"run", "--master", "local[2]"}, example));
        Processes.Result cluster = Processes.kindling(null,
                concat(new String[] {"run", "--master", "local-cluster[2,1,256]"}, example));

        assertEquals(0, local.exitCode(), local::all);
        assertEquals(0, cluster.exitCode(), cluster::all);
        List<String> expected = results(local.out());
        assertTrue(expected.stream().anyMatch(l -> l.startsWith("cost=")), local::all);
        assertEquals(expected, results(cluster.out()), cluster::all);
    }

    private static List<String> results(String out) {
        return out.lines().filter(l -> l.startsWith("center ") || l.startsWith("cost=") || l.startsWith("iteration ")).toList();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
