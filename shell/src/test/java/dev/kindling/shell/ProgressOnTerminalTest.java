package dev.kindling.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.shell.progress.Terminals;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress bar follows standard error, not the console: it shows on a terminal even when
 * standard output is redirected to a file ({@code kindling ... > result.txt}), and never lands in a
 * file or pipe. The terminal is a real pseudo-terminal made by util-linux {@code script}.
 */
@Tag("slow")
class ProgressOnTerminalTest {

    private static final Pattern BAR = Pattern.compile("\\[Stage \\d+:[=> ]*\\(\\d+ \\+ \\d+\\) / 2\\]");

    @Test
    void whenStdoutIsRedirectedButStderrIsATerminal_thenTheBarIsDrawnOnTheTerminalOnly(@TempDir Path dir) throws Exception {
        String terminal = runOnTerminal(dir, "dumb");
        assertFalse(terminal.contains("\u001b]8;;"), "no hyperlink escapes on a TERM=dumb terminal:\n" + terminal);
    }

    @Test
    void whenTheTerminalIsNotDumb_thenStageIdsLinkToTheStatusUi(@TempDir Path dir) throws Exception {
        String terminal = runOnTerminal(dir, "xterm-256color");
        Matcher url = Pattern.compile("Kindling UI at (http://127\\.0\\.0\\.1:[0-9]+)").matcher(terminal);
        assertTrue(url.find(), "the UI's address is printed:\n" + terminal);
        Matcher link = Pattern.compile("\\[\u001b]8;;" + Pattern.quote(url.group(1)) + "/stages/stage/\\?id=([0-9]+)"
                + "&attempt=0\u001b\\\\Stage ([0-9]+)\u001b]8;;\u001b\\\\:").matcher(terminal);
        assertTrue(link.find(), "a stage id links to its page on the UI:\n" + terminal);
        assertEquals(link.group(1), link.group(2), "the link goes to the stage it names");
    }

    /** Runs a slow job in the shell with stderr on a pseudo-terminal of {@code term} and stdout in a file; returns the terminal's output. */
    private static String runOnTerminal(Path dir, String term) throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/script")),
                "this test needs util-linux 'script' (Debian: apt-get install bsdutils)");
        Path script = dir.resolve("slow.jsh");
        Files.writeString(script, String.join("\n",
                "long n = kc.parallelize(List.of(1, 2), 2).map(x -> { Thread.sleep(2000); return x; }).count();",
                "System.out.println(\"COUNT=\" + n);",
                "/exit", ""), StandardCharsets.UTF_8);
        Path stdout = dir.resolve("stdout.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = quote(java) + " -Xmx256m -XX:TieredStopAtLevel=1 -cp " + quote(Processes.classPath()) + " "
                + KindlingCli.class.getName() + " shell --master 'local[2]' " + quote(script.toString())
                + " > " + quote(stdout.toString());

        ProcessBuilder builder = new ProcessBuilder(List.of("/usr/bin/script", "-qfec", command, "/dev/null"));
        builder.environment().put("TERM", term);
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String terminal;
        try {
            terminal = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), terminal);
        } finally {
            process.getOutputStream().close();
            process.destroyForcibly();
        }

        String redirected = Files.readString(stdout, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), terminal + "\n---- stdout file:\n" + redirected);
        assertTrue(redirected.contains("COUNT=2"), redirected);
        String withoutLinks = terminal.replaceAll("\u001b]8;;[^\u001b]*\u001b\\\\", "");
        assertTrue(BAR.matcher(withoutLinks).find(), "no progress bar on the terminal:\n" + terminal);
        assertFalse(redirected.contains("[Stage"), "the bar went to the redirected stdout:\n" + redirected);
        return terminal;
    }

    @Test
    void whenStderrIsNotATerminal_thenItIsSaidSo() {
        // Under the build, this JVM's standard error is a pipe or a file, never a terminal.
        assertFalse(Terminals.isStderrTerminal());
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
