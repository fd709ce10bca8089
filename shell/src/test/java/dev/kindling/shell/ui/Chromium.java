package dev.kindling.shell.ui;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real headless Chromium (Debian's {@code chromium}; {@code .ci/run} installs it) for the browser
 * tests: the DOM after the page's scripts ran ({@code --dump-dom}) and screenshots. When no Chromium
 * is installed the tests fail, saying how to install it; they are never skipped.
 */
final class Chromium {

    private static final long GUARD_S = 240; // hang guard only (a loaded 2-core machine takes a minute or more)

    private final Path executable;
    private final Path scratch;

    private Chromium(Path executable, Path scratch) {
        this.executable = executable;
        this.scratch = scratch;
    }

    /** The installed Chromium, with a fresh profile under {@code scratch}; fails if there is none. */
    static Chromium find(Path scratch) throws IOException {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("CHROMIUM");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
            candidates.add(Path.of(dir, "chromium"));
            candidates.add(Path.of(dir, "chromium-browser"));
        }
        for (Path p : candidates) {
            if (Files.isExecutable(p)) {
                return new Chromium(p, scratch);
            }
        }
        throw new AssertionError("The browser tests need a headless Chromium, and none is on the PATH (nor in "
                + "$CHROMIUM). Install Debian's package: sudo apt-get install -y chromium (.ci/run does this)");
    }

    /**
     * The DOM of {@code url} after its scripts ran, serialized. Calls may run concurrently (each
     * browser gets a profile of its own).
     */
    String dumpDom(String url) throws IOException, InterruptedException {
        return run("--dump-dom", url);
    }

    /** {@link #dumpDom}, and in the same browser run a {@code width} x {@code height} screenshot as the PNG {@code file}. */
    String dumpDomAndScreenshot(String url, Path file, int width, int height) throws IOException, InterruptedException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        String dom = run("--dump-dom", "--screenshot=" + file.toAbsolutePath(), "--window-size=" + width + "," + height,
                "--hide-scrollbars", url);
        if (!Files.isRegularFile(file) || Files.size(file) == 0) {
            throw new AssertionError("Chromium wrote no screenshot of " + url + " to " + file);
        }
        return dom;
    }

    private String run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update"));
        Path profile = Files.createTempDirectory(scratch, "chromium-profile");
        command.add("--user-data-dir=" + profile);
        command.addAll(List.of(args));
        Path out = Files.createTempFile(scratch, "chromium", ".out");
        Path err = Files.createTempFile(scratch, "chromium", ".err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(GUARD_S, TimeUnit.SECONDS)) {
                throw new AssertionError("Chromium did not finish within " + GUARD_S + " s: " + command);
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("Chromium exited with " + p.exitValue() + ": " + command + "\n"
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
            p.waitFor(GUARD_S, TimeUnit.SECONDS);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
