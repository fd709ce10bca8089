package dev.kindling.internal.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@link SaveWorkload} in a child JVM on the test class path, whose stdout lines a test reads; closing kills it. */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final BufferedReader stdout;

    private ChildJvm(Process process) {
        this.process = process;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts {@code SaveWorkload args} in {@code workDir}, stderr to {@code log}. */
    static ChildJvm start(Path workDir, Path log, String... args) throws IOException {
        return startWith(workDir, log, List.of(), args);
    }

    /** Like {@link #start}, with extra JVM options before the class name. */
    static ChildJvm startWith(Path workDir, Path log, List<String> jvmOptions, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SaveWorkload.class.getName()));
        cmd.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(cmd).directory(workDir.toFile()).redirectError(log.toFile()).start());
    }

    /** The next line the child printed, or null at its end. */
    String readLine() throws IOException {
        return stdout.readLine();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** Kills the child with SIGKILL and reaps it. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Waits for the child to exit on its own; returns its exit code. */
    int waitFor() throws InterruptedException {
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            throw new AssertionError("child JVM did not finish within 2 minutes");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws Exception {
        kill();
        stdout.close();
    }
}
