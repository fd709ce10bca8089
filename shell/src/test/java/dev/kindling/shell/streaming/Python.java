package dev.kindling.shell.streaming;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The real python3 interpreter behind {@code python3} on the PATH, found once. Version-manager
 * shims (pyenv) can add a second of start-up to every process; scripts in tests name the
 * interpreter directly in their {@code #!} line instead.
 */
final class Python {

    private static String executable;

    private Python() {
    }

    static synchronized String executable() {
        if (executable == null) {
            try {
                Process p = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").start();
                String path = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                executable = p.waitFor() == 0 && !path.isEmpty() ? path : "/usr/bin/env python3";
            } catch (IOException e) {
                executable = "/usr/bin/env python3";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                executable = "/usr/bin/env python3";
            }
        }
        return executable;
    }
}
