package dev.kindling.shell;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Measures how fast Kindling starts: the time to create (and close) a context in a fresh JVM and
 * once warm, and, given the launcher, the time from starting {@code bin/kindling shell} until its
 * first {@code jshell>} prompt (and, as a baseline, the JDK's plain {@code jshell}). Prints one line
 * per figure.
 *
 * <pre>
 * java -cp "shell/target/kindling-shell-0.1.0-SNAPSHOT.jar:shell/target/lib/*" \
 *     dev.kindling.shell.StartupTimer [--contexts N] [--cold-runs N] [--shell bin/kindling] [--shell-runs N] [--jshell]
 * </pre>
 *
 * Run it on a quiet machine; the shell figure includes the launcher's JVM start and JShell's first
 * compilation of the startup snippet.
 */
public final class StartupTimer {

    private StartupTimer() {
    }

    /** Runs the measurements; see the class documentation for the arguments. */
    public static void main(String[] args) throws Exception {
        int contexts = 20;
        Path launcher = null;
        int shellRuns = 5;
        boolean jshell = false;
        int coldRuns = 5;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--contexts": contexts = Integer.parseInt(args[++i]); break;
                case "--shell": launcher = Path.of(args[++i]); break;
                case "--shell-runs": shellRuns = Integer.parseInt(args[++i]); break;
                case "--jshell": jshell = true; break;
                case "--cold-runs": coldRuns = Integer.parseInt(args[++i]); break;
                case "--one-cold-context":
                    java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
                    long cpuStart = cpu.getCurrentThreadCpuTime();
                    long start = System.nanoTime();
                    KindlingContext kc = Kindling.builder().build();
                    long wall = System.nanoTime() - start;
                    long cpuUsed = cpu.getCurrentThreadCpuTime() - cpuStart;
                    kc.close();
                    System.out.println(wall / 1e6 + " " + cpuUsed / 1e6);
                    return;
                default:
                    System.err.println("usage: StartupTimer [--contexts N] [--cold-runs N] [--shell path/to/bin/kindling] [--shell-runs N] [--jshell]");
                    System.exit(2);
            }
        }
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version());
        timeContexts(contexts);
        if (coldRuns > 0) {
            timeColdContexts(coldRuns);
        }
        if (launcher != null) {
            timeShell("bin/kindling shell", List.of(launcher.toString(), "shell"), shellRuns);
        }
        if (jshell) {
            String java = Path.of(System.getProperty("java.home"), "bin", "jshell").toString();
            timeShell("plain jshell (baseline)", List.of(java), shellRuns);
        }
    }

    private static void timeContexts(int n) {
        List<Double> millis = new ArrayList<>();
        int threads = 0;
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            KindlingContext kc = Kindling.builder().build();
            millis.add((System.nanoTime() - start) / 1e6);
            threads = kc.executorThreads();
            kc.close();
        }
        System.out.printf("context creation (Kindling.builder().build(), %d executor threads): first %.1f ms (cold JVM), "
                + "median of next %d %.2f ms%n", threads, millis.get(0), n - 1, median(millis.subList(1, n)));
    }

    /** Creates (and closes) one context in each of {@code runs} fresh JVMs: the cost a program pays at start. */
    private static void timeColdContexts(int runs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Double> millis = new ArrayList<>();
        List<Double> cpuMillis = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), StartupTimer.class.getName(),
                    "--one-cold-context").redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                throw new IOException("the child JVM failed: " + out);
            }
            String[] figures = out.split(" ");
            millis.add(Double.parseDouble(figures[0]));
            cpuMillis.add(Double.parseDouble(figures[1]));
        }
        System.out.printf("context creation in a fresh JVM (class loading included): median %.1f ms wall, %.1f ms CPU "
                + "of the creating thread, over %d JVMs %s%n", median(millis), median(cpuMillis), runs,
                millis.stream().map(m -> String.format("%.0f", m)).toList());
    }

    private static void timeShell(String name, List<String> command, int runs) throws Exception {
        List<Double> millis = new ArrayList<>();
        List<Double> cpuMillis = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            double[] figures = untilPrompt(command);
            millis.add(figures[0]);
            cpuMillis.add(figures[1]);
        }
        System.out.printf("%s to first prompt: median %.0f ms wall, %.0f ms CPU (all threads of the shell's JVM), "
                + "over %d runs %s%n", name, median(millis), median(cpuMillis), runs,
                millis.stream().map(m -> String.format("%.0f", m)).toList());
    }

    /** Wall and CPU milliseconds from start to the first prompt. */
    private static double[] untilPrompt(List<String> command) throws Exception {
        Path log = Files.createTempFile("kindling-startup-", ".err");
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        try {
            InputStream out = p.getInputStream();
            String seen = waitFor(out, "jshell>");
            double ms = (System.nanoTime() - start) / 1e6;
            double cpuMs = p.info().totalCpuDuration().map(d -> d.toNanos() / 1e6).orElse(Double.NaN);
            if (seen == null) {
                throw new IOException("the shell ended before its prompt; stderr: " + Files.readString(log));
            }
            try (OutputStream in = p.getOutputStream()) {
                in.write("/exit\n".getBytes(StandardCharsets.UTF_8));
            }
            out.transferTo(OutputStream.nullOutputStream());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new IOException("the shell did not exit after /exit");
            }
            return new double[] {ms, cpuMs};
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    private static String waitFor(InputStream in, String marker) throws IOException {
        StringBuilder seen = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            seen.append((char) c);
            if (seen.indexOf(marker) >= 0) {
                return seen.toString();
            }
        }
        return null;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
