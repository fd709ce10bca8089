package dev.kindling.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
     * A word-count mapper and reducer in Python, as a Hadoop Streaming user writes them. The mapper
     * also notes, in a file of its own under $WHERE, whether a JVM above it is an executor process.
     */
    private static final String MAPPER = String.join("\n",
            "import os, sys",
            "pid, seen = os.getpid(), 'driver'",
            "for _ in range(4):",
            "    pid = int(open('/proc/%d/stat' % pid).read().rsplit(')', 1)[1].split()[1])",
            "    if pid <= 1:",
            "        break",
            "    if b'ExecutorProcess' in open('/proc/%d/cmdline' % pid, 'rb').read():",
            "        seen = 'executor'",
            "open(os.path.join(os.environ['WHERE'], str(os.getpid())), 'w').write(seen)",
            "for line in sys.stdin:",
            "    for word in line.split():",
            "        print(word + '\\t1')", "");
    private static final String REDUCER = String.join("\n",
            "import sys",
            "current, count = None, 0",
            "for line in sys.stdin:",
            "    word, n = line.rstrip('\\n').split('\\t')",
            "    if word != current:",
            "        if current is not None:",
            "            print(current + '\\t' + str(count))",
            "        current, count = word, 0",
            "    count += int(n)",
            "if current is not None:",
            "    print(current + '\\t' + str(count))", "");

    @Test
    void streamingWithPythonOnLocalClusterWritesTheBytesOfTheLocalRun() throws Exception {
        String[] words = {"alpha", "beta", "gamma", "delta", "epsilon"};
        String text = IntStream.range(0, 4000)
                .mapToObj(i -> words[i % 5] + " " + words[(i * 7) % 5] + " " + words[(i * i) % 5])
                .collect(Collectors.joining("\n", "", "\n"));
        Path input = Files.writeString(dir.resolve("in.txt"), text);
        Path mapper = Files.writeString(dir.resolve("mapper.py"), MAPPER);
        Path reducer = Files.writeString(dir.resolve("reducer.py"), REDUCER);
        Map<String, byte[]> local = streaming("local[2]", input, mapper, reducer);
        Map<String, byte[]> cluster = streaming("local-cluster[2,1,256]", input, mapper, reducer);

        assertEquals(List.of("driver"), where("local[2]"));
        assertEquals(List.of("executor"), where("local-cluster[2,1,256]"));
        assertEquals(local.keySet(), cluster.keySet());
        for (String part : local.keySet()) {
            assertTrue(java.util.Arrays.equals(local.get(part), cluster.get(part)), part + " differs");
        }
        Map<String, Long> expected = java.util.Arrays.stream(text.split("\\s+"))
                .collect(Collectors.groupingBy(w -> w, TreeMap::new, Collectors.counting()));
        Map<String, Long> counted = new TreeMap<>();
        for (Map.Entry<String, byte[]> part : cluster.entrySet()) {
            if (part.getKey().startsWith("part-")) {
                new String(part.getValue(), StandardCharsets.UTF_8).lines()
                        .forEach(l -> counted.put(l.split("\t")[0], Long.parseLong(l.split("\t")[1])));
            }
        }
        assertEquals(expected, counted);
    }

    /** Where the mappers of the run on {@code master} ran ("driver" or "executor"), each kind once. */
    private List<String> where(String master) throws Exception {
        try (var notes = Files.list(dir.resolve("where-" + name(master)))) {
            List<String> kinds = new java.util.ArrayList<>();
            for (Path note : notes.toList()) {
                kinds.add(Files.readString(note));
            }
            assertTrue(!kinds.isEmpty(), "no mapper ran on " + master);
            return kinds.stream().distinct().toList();
        }
    }

    private static String name(String master) {
        return master.replaceAll("[^a-z0-9]", "_");
    }

    /** Runs the Python word count with {@code --master master}; returns the output directory's files. */
    private Map<String, byte[]> streaming(String master, Path input, Path mapper, Path reducer) throws Exception {
        Path out = dir.resolve("out-" + name(master));
        Path where = Files.createDirectory(dir.resolve("where-" + name(master)));
        Processes.Result r = Processes.kindling(null, "streaming", "--master", master, "-cmdenv", "WHERE=" + where,
                "-D", "mapreduce.job.reduces=2", "-D", "kindling.input.splitSize=20000",
                "-input", input.toString(), "-output", out.toString(),
                "-mapper", "python3 mapper.py", "-reducer", "python3 reducer.py",
                "-file", mapper.toString(), "-file", reducer.toString());
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
