package dev.kindling.internal.cluster;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One executor child process: started with the driver's class path (and module path, as class path)
 * and its settings and secret in the environment; its output (stdout and stderr) goes to the driver's
 * log line by line, prefixed with the executor id, on a thread {@code kindling-cluster-output-<id>};
 * the last lines are kept for error messages. {@link #stop} ends it and every process it started.
 */
final class LaunchedExecutor {

    private static final Logger LOG = LoggerFactory.getLogger("dev.kindling.executor");
    private static final int KEPT_LINES = 30;

    private final String executorId;
    private final Process process;
    private final Path scratchDir;
    private final Thread output;
    private final Deque<String> lastLines = new ArrayDeque<>();

    private LaunchedExecutor(String executorId, Process process, Path scratchDir) {
        this.executorId = executorId;
        this.process = process;
        this.scratchDir = scratchDir;
        this.output = new Thread(this::pumpOutput, "kindling-cluster-output-" + executorId);
        this.output.setDaemon(true);
    }

    /**
     * Starts executor {@code executorId} with {@code memoryMb} MiB of heap, environment {@code env} (its
     * settings and the secret) and the JVM options {@code javaOptions} (from
     * {@code kindling.executor.extraJavaOptions}) before the class path; its working directory is its
     * scratch directory {@code scratchDir}.
     */
    static LaunchedExecutor start(String executorId, Path scratchDir, int memoryMb, List<String> javaOptions,
                                  Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + memoryMb + "m");
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.addAll(javaOptions);
        command.add("-cp");
        command.add(classPath(System.getProperty("java.class.path", ""), System.getProperty("jdk.module.path", "")));
        command.add(ExecutorProcess.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command).directory(scratchDir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException("Cannot start executor " + executorId + " (" + command.get(0) + "): "
                    + e.getMessage(), e);
        }
        LaunchedExecutor launched = new LaunchedExecutor(executorId, process, scratchDir);
        launched.output.start();
        return launched;
    }

    /**
     * The class path for an executor of a driver with {@code classPath} and {@code modulePath}: the class
     * path's entries, then the module path's jars, exploded modules, and the jars of its directories of
     * modules (a driver on the module path runs its executors on the class path, where the same code
     * works without module flags). Relative entries are made absolute against the driver's working
     * directory: an executor runs in its scratch directory, where they would name nothing.
     */
    static String classPath(String classPath, String modulePath) {
        List<String> entries = new ArrayList<>();
        String[] paths = {classPath, modulePath};
        for (int i = 0; i < paths.length; i++) {
            boolean modules = i == 1;
            for (String entry : paths[i].split(File.pathSeparator)) {
                if (entry.isEmpty()) {
                    continue;
                }
                Path p = Path.of(entry).toAbsolutePath();
                if (modules && Files.isDirectory(p) && !Files.exists(p.resolve("module-info.class"))) {
                    try (Stream<Path> jars = Files.list(p)) { // a directory of modules
                        jars.filter(j -> j.toString().endsWith(".jar")).sorted().forEach(j -> entries.add(j.toString()));
                    } catch (IOException e) {
                        throw new UncheckedIOException("Cannot list the module path directory " + p, e);
                    }
                } else {
                    entries.add(p.toString());
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    String executorId() {
        return executorId;
    }

    Process process() {
        return process;
    }

    Path scratchDir() {
        return scratchDir;
    }

    /** The last lines the process printed, one per line, for error messages. */
    String lastOutput() {
        synchronized (lastLines) {
            return lastLines.isEmpty() ? "(no output)" : String.join("\n", lastLines);
        }
    }

    /**
     * Waits up to {@code graceMs} for the process to exit by itself, then asks it to ({@code destroy}),
     * then kills it ({@code destroyForcibly}); processes it started are killed too. Waits for the output
     * thread to drain.
     */
    void stop(long graceMs) {
        List<ProcessHandle> children = process.descendants().toList(); // before they lose their parent
        if (!waitFor(process, graceMs)) {
            process.destroy();
            if (!waitFor(process, 3_000)) {
                LOG.warn("Executor {} (pid {}) did not stop within {} ms of SIGTERM; killing it", executorId, process.pid(),
                        graceMs + 3_000);
                process.destroyForcibly();
                waitFor(process, 10_000);
            }
        }
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroyForcibly();
                try {
                    child.onExit().get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    LOG.warn("Process {} started by executor {} did not exit after SIGKILL", child.pid(), executorId);
                }
            }
        }
        try {
            output.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean waitFor(Process p, long ms) {
        try {
            return p.waitFor(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }

    private void pumpOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                LOG.info("[executor {}] {}", executorId, line);
                synchronized (lastLines) {
                    if (lastLines.size() == KEPT_LINES) {
                        lastLines.removeFirst();
                    }
                    lastLines.addLast(line);
                }
            }
        } catch (IOException e) {
            LOG.debug("Output of executor {} ended: {}", executorId, e.toString());
        }
    }
}
