package dev.kindling.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Starts the real command line in a child JVM (or through bin/kindling) and collects what it prints. */
final class Processes {

    /** What a finished process printed, and its exit status. */
    record Result(int exitCode, String out, String err) {
        String all() {
            return out + "\n" + err;
        }
    }

    private Processes() {
    }

    /** This test JVM's class path, which holds Kindling's classes and dependencies. */
    static String classPath() {
        return System.getProperty("java.class.path");
    }

    /** The repository's bin/kindling (tests run in the shell module's directory). */
    static Path launcher() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent().resolve("bin/kindling");
    }

    /** Runs {@code java -cp <test class path> dev.kindling.shell.KindlingCli args...}, feeding {@code stdin}. */
    static Result kindling(String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(classPath());
        command.add(KindlingCli.class.getName());
        command.addAll(List.of(args));
        return run(new ProcessBuilder(command), stdin);
    }

    /** Runs bin/kindling from {@code workDir} with the test class path (so it does not build), feeding {@code stdin}. */
    static Result launcher(Path workDir, String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(launcher().toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        Map<String, String> env = builder.environment();
        env.put("KINDLING_CLASSPATH", classPath());
        env.put("KINDLING_JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        return run(builder, stdin);
    }

    private static Result run(ProcessBuilder builder, String stdin) throws Exception {
        Process process = builder.start();
        try {
            CompletableFuture<String> out = drain(process.getInputStream());
            CompletableFuture<String> err = drain(process.getErrorStream());
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                throw new AssertionError("kindling did not exit within 120 s; output so far:\n" + out.getNow("") + err.getNow(""));
            }
            return new Result(process.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
        } finally {
            process.destroyForcibly();
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (stream) {
                text.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(e);
            }
        }, "test-drain");
        t.setDaemon(true);
        t.start();
        return text;
    }
}
