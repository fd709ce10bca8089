package dev.kindling.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A shell session with {@code --master local-cluster[2,1,512]}: a record and a method defined in
 * snippets, used by lambdas typed at the prompt, run in the executor processes. Those JVMs have no
 * file for the snippets' classes (JShell compiles them in memory), so they load them from the driver
 * over the class server; the answers are exact and the tasks ran in processes other than the shell's.
 */
@Tag("slow")
class ShellOnLocalClusterTest {

    private static final String EXECUTOR_MAIN = "dev.kindling.internal.cluster.ExecutorProcess";

    @Test
    void snippetRecordsAndLambdasRunOnTheExecutorProcesses() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        String input = String.join("\n",
                "record Reading(String station, int temp) implements java.io.Serializable {}",
                "int scaled(int t) { return 3 * t + 1; }",
                "var readings = kc.range(0, 1000, 1, 4).map(i -> new Reading(\"s\" + (i % 5), i.intValue()))",
                "new TreeMap<>(readings.mapToPair(r -> Pair.of(r.station(), scaled(r.temp()))).reduceByKey(Integer::sum).collectAsMap())",
                "readings.map(r -> new Reading(r.station(), (int) ProcessHandle.current().pid())).map(Reading::temp).distinct().collect()",
                "\"children \" + ProcessHandle.current().children().map(ProcessHandle::pid).sorted().toList()",
                "/exit", "");
        KindlingShell shell = new KindlingShell(Map.of("kindling.master", "local-cluster[2,1,512]"), List.of(), List.of())
                .withStreams(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), print, print, new HashMap<>());
        int status = shell.run();
        String shown = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, shown);

        Map<String, Integer> expected = new TreeMap<>(IntStream.range(0, 1000).boxed()
                .collect(Collectors.groupingBy(i -> "s" + (i % 5), Collectors.summingInt(i -> 3 * i + 1))));
        assertTrue(shown.contains("==> " + expected), "expected ==> " + expected + " in:\n" + shown);

        Matcher pids = Pattern.compile("==> \\[([0-9, ]+)]").matcher(shown);
        assertTrue(pids.find(), "no list of pids in:\n" + shown);
        List<Long> ranIn = Arrays.stream(pids.group(1).split(",\\s*")).map(Long::parseLong).toList();
        assertFalse(ranIn.isEmpty(), shown);
        assertFalse(ranIn.contains(ProcessHandle.current().pid()), "a task ran in the shell's own JVM: " + ranIn);
        Matcher children = Pattern.compile("==> \"children \\[([0-9, ]*)]\"").matcher(shown);
        assertTrue(children.find(), "no list of child processes in:\n" + shown);
        List<Long> childPids = Arrays.stream(children.group(1).split(",\\s*")).filter(s -> !s.isEmpty()).map(Long::parseLong)
                .toList();
        assertTrue(childPids.containsAll(ranIn), "tasks ran in " + ranIn + ", not all child processes of the shell " + childPids);
        List<ProcessHandle> executorsSeen = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(EXECUTOR_MAIN)).filter(ProcessHandle::isAlive).toList();
        assertEquals(List.of(), executorsSeen, "executor processes left after /exit");
        assertFalse(shown.contains("|  Exception"), shown);
    }
}
