package dev.kindling.shell;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A word-count mapper and reducer in Python, as a Hadoop Streaming user writes them, for the tests
 * that run {@code kindling streaming} on executor processes ({@code local-cluster}, YARN). Each mapper
 * also leaves a note in a file of its own under {@code $WHERE}: whether a JVM above it is an executor
 * process, its working directory, and the real path of its script (the copy its working directory
 * links to), so that a test can check where the mappers ran and which copy of the files they used.
 */
final class StreamingScripts {

    static final String MAPPER = String.join("\n",
            "import os, sys",
            "pid, seen = os.getpid(), 'driver'",
            "for _ in range(4):",
            "    pid = int(open('/proc/%d/stat' % pid).read().rsplit(')', 1)[1].split()[1])",
            "    if pid <= 1:",
            "        break",
            "    if b'ExecutorProcess' in open('/proc/%d/cmdline' % pid, 'rb').read():",
            "        seen = 'executor'",
            "note = '\\n'.join([seen, os.getcwd(), os.path.realpath(__file__)])",
            "open(os.path.join(os.environ['WHERE'], str(os.getpid())), 'w').write(note)",
            "for line in sys.stdin:",
            "    for word in line.split():",
            "        print(word + '\\t1')", "");
    static final String REDUCER = String.join("\n",
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

    private StreamingScripts() {
    }

    /** What one mapper noted: "executor" or "driver", its working directory, its script's real path. */
    record Note(String seen, String workDir, String script) {
    }

    /** Writes mapper.py and reducer.py into {@code dir}; returns their paths. */
    static List<Path> write(Path dir) throws IOException {
        return List.of(Files.writeString(dir.resolve("mapper.py"), MAPPER), Files.writeString(dir.resolve("reducer.py"), REDUCER));
    }

    /** The notes the mappers left in {@code where}; at least one. */
    static List<Note> notes(Path where) throws IOException {
        List<Note> notes = new ArrayList<>();
        try (var files = Files.list(where)) {
            for (Path f : files.toList()) {
                String[] lines = Files.readString(f).split("\n");
                notes.add(new Note(lines[0], lines[1], lines[2]));
            }
        }
        assertFalse(notes.isEmpty(), "no mapper ran (no note in " + where + ")");
        return notes;
    }

    /** The word counts in the part files among {@code files} (name to content). */
    static Map<String, Long> counts(Map<String, byte[]> files) {
        Map<String, Long> counted = new TreeMap<>();
        for (Map.Entry<String, byte[]> part : files.entrySet()) {
            if (part.getKey().startsWith("part-")) {
                new String(part.getValue(), StandardCharsets.UTF_8).lines().forEach(l -> {
                    String[] kv = l.split("\t");
                    assertFalse(counted.containsKey(kv[0]), "word " + kv[0] + " counted twice");
                    counted.put(kv[0], Long.parseLong(kv[1]));
                });
            }
        }
        return counted;
    }
}
