package dev.kindling.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SIGTERM and SIGINT sent to a real {@code bin/kindling} in the middle of a job leave nothing
 * behind: the process exits (143 or 130), the output directory holds no {@code _temporary} and no
 * part files without {@code _SUCCESS}, the scratch directory under {@code kindling.local.dir} is
 * gone, and no child process the job started (a streaming reducer) is still running.
 */
@Tag("slow")
class ShutdownSignalTest {

    @TempDir
    Path dir;

    private Process process;
    private final List<ProcessHandle> children = new ArrayList<>();

    @AfterEach
    void killWhatIsLeft() {
        children.forEach(ProcessHandle::destroyForcibly);
        if (process != null) {
            process.destroyForcibly();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void streamingJobWithASleepingReducer_leavesNothingBehind(String signal) throws Exception {
        Path input = Files.writeString(dir.resolve("in.txt"), "b a\na c\nd\n");
        Path output = dir.resolve("out");
        process = start("streaming", "-D", "kindling.master=local[2]", "-input", input.toString(),
                "-output", output.toString(), "-mapper", "cat", "-reducer", "sleep 300", "-numReduceTasks", "1");
        // One snapshot both finds the reducer and records the children, so they cannot disagree.
        await(() -> {
            List<ProcessHandle> now = process.toHandle().descendants().collect(Collectors.toList());
            if (now.stream().noneMatch(ShutdownSignalTest::isSleeper)) {
                return false;
            }
            children.addAll(now);
            return true;
        }, "the reducer (sleep 300) to start");

        int status = stop(signal);

        assertEquals(signal.equals("TERM") ? 143 : 130, status, this::log);
        assertNoHalfWrittenOutput(output);
        assertNoScratchDirectory();
        assertChildrenEnded();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void runningExample_leavesNoScratchDirectory(String signal) throws Exception {
        Path started = dir.resolve("task-started");
        process = start("run", "--master", "local[2]",
                "--conf", "kindling.extraListeners=" + TaskStartedMarker.class.getName(),
                "--conf", TaskStartedMarker.KEY + "=" + started,
                "kmeans", "--generate", "200000", "--iterations", "1000000", "--epsilon", "0");
        await(() -> Files.exists(started), "the first task to start");
        assertEquals(1, scratchDirectories().size(), this::log);

        int status = stop(signal);

        assertEquals(signal.equals("TERM") ? 143 : 130, status, this::log);
        assertNoScratchDirectory();
    }

    private Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Processes.launcher().toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("log.txt").toFile());
        Map<String, String> env = builder.environment();
        env.put("KINDLING_CLASSPATH", Processes.classPath());
        env.put("KINDLING_JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1 -Dkindling.local.dir=" + dir.resolve("local"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        return builder.start();
    }

    /** Sends SIGTERM ({@link Process#destroy()}) or SIGINT ({@code kill -INT}) and returns the exit status. */
    private int stop(String signal) throws Exception {
        if (signal.equals("TERM")) {
            process.destroy();
        } else {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor());
        }
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), () -> "kindling did not exit after SIG" + signal + "\n" + log());
        return process.exitValue();
    }

    private static boolean isSleeper(ProcessHandle p) {
        return p.info().command().map(c -> c.endsWith("sleep")).orElse(false)
                || p.info().commandLine().map(c -> c.contains("sleep 300")).orElse(false);
    }

    private void assertNoHalfWrittenOutput(Path output) throws IOException {
        if (!Files.exists(output)) {
            return;
        }
        try (Stream<Path> files = Files.list(output)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
            assertFalse(names.contains("_temporary"), () -> "left behind: " + names + "\n" + log());
            assertTrue(names.contains("_SUCCESS") || names.stream().noneMatch(n -> n.startsWith("part-")),
                    () -> "part files without _SUCCESS: " + names + "\n" + log());
        }
    }

    private void assertNoScratchDirectory() throws IOException {
        assertEquals(List.of(), scratchDirectories(), this::log);
    }

    private List<Path> scratchDirectories() throws IOException {
        Path local = dir.resolve("local");
        if (!Files.exists(local)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(local)) {
            return files.collect(Collectors.toList());
        }
    }

    private void assertChildrenEnded() throws Exception {
        assertFalse(children.isEmpty(), "the job's child processes were found before the signal");
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("child process " + child.pid() + " " + child.info().commandLine().orElse("")
                        + " is still running after kindling exited\n" + log(), e);
            }
        }
    }

    private void await(BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new AssertionError("kindling exited (" + process.exitValue() + ") before " + what + "\n" + log());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting for " + what + "\n" + log());
            }
            Thread.sleep(50);
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("log.txt"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
