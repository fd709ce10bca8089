package dev.kindling.shell.progress;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Whether standard error is a terminal: the progress bar is drawn only there. Java 17 cannot say
 * directly: {@code System.console()} is null as soon as standard input or output is redirected, so
 * {@code bin/kindling run ... > result.txt} would lose the bar although standard error is still the
 * terminal, and there is no {@code isatty} call. So this asks the operating system:
 * <ol>
 *   <li>on Linux, {@code /proc/self/fd/2} is a link to what standard error is open on; a terminal is
 *       a {@code /dev/pts/N} pseudo-terminal, a {@code /dev/ttyX} device or {@code /dev/console}
 *       (a file, a pipe ({@code pipe:[N]}) or {@code /dev/null} is not). Reading a link costs
 *       microseconds;</li>
 *   <li>where {@code /proc} is missing (macOS, BSD), {@code sh -c 'test -t 2'} started with this
 *       process's standard error as its own: {@code test -t 2} is {@code isatty(2)} on the very same
 *       file. It costs one short process, once, at start-up.</li>
 * </ol>
 * Anything that goes wrong answers "not a terminal": no bar is better than escape codes in a log.
 */
public final class Terminals {

    private static final Path STDERR_LINK = Path.of("/proc/self/fd/2");

    private Terminals() {
    }

    /** Whether this process's standard error is a terminal (see the class documentation for how). */
    public static boolean isStderrTerminal() {
        if (Files.isDirectory(Path.of("/proc/self/fd"))) {
            try {
                return isTerminalDevice(Files.readSymbolicLink(STDERR_LINK).toString());
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                return false;
            }
        }
        return stderrPassesTestT();
    }

    /** Whether {@code path}, the target of a {@code /proc/self/fd} link, names a terminal device. */
    static boolean isTerminalDevice(String path) {
        return path.startsWith("/dev/pts/") || path.startsWith("/dev/tty") || path.equals("/dev/console");
    }

    private static boolean stderrPassesTestT() {
        try {
            Process test = new ProcessBuilder("sh", "-c", "test -t 2")
                    .redirectError(Redirect.INHERIT).redirectOutput(Redirect.DISCARD).start();
            test.getOutputStream().close();
            if (!test.waitFor(5, TimeUnit.SECONDS)) {
                test.destroyForcibly();
                return false;
            }
            return test.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
