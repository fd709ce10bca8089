package dev.kindling.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a person reads on stderr when {@code kindling run} fails, from a real child JVM. */
@Tag("slow")
class CliFailureOutputTest {

    @TempDir
    Path dir;

    @Test
    void whenTheOutputExists_thenTheErrorIsPrintedOnceAndExitIsOne() throws Exception {
        Path input = Files.writeString(dir.resolve("in.txt"), "a b\n");
        Path output = Files.createDirectories(dir.resolve("out"));

        Processes.Result result = Processes.kindling(null, "run", "--master", "local[1]", "wordcount", input.toString(),
                output.toString());

        assertEquals(1, result.exitCode(), result::all);
        assertEquals(1, count(result.err(), "already exists"), result::all);
        assertTrue(result.err().contains("kindling run: FileAlreadyExistsException: Output directory " + output
                + " already exists"), result::all);
    }

    @Test
    void whenATaskKeepsFailing_thenTheRootCauseComesFirstAndTheJobDetailsAfter() throws Exception {
        Path points = Files.writeString(dir.resolve("points.txt"), "1 2\nfoo bar\n3 4\n");

        Processes.Result result = Processes.kindling(null, "run", "--master", "local[1]", "--conf",
                "kindling.task.maxFailures=2", "kmeans", "--input", points.toString());

        assertEquals(1, result.exitCode(), result::all);
        List<String> report = result.err().lines().filter(l -> l.startsWith("kindling run:") || l.startsWith("  in:"))
                .collect(Collectors.toList());
        assertEquals(3, report.size(), result::all);
        assertEquals("kindling run: NumberFormatException: For input string: \"foo\"", report.get(0), result::all);
        assertEquals("  in: Not a number in line 'foo bar'", report.get(1), result::all);
        assertTrue(report.get(2).matches("  in: Job \\d+ \\(.*\\) aborted: stage \\d+ .* partition 0 failed 2 time\\(s\\) "
                + "\\(kindling.task.maxFailures=2\\)"), result::all);
        assertTrue(result.err().contains("-Dkindling.cli.trace=true"), result::all);
    }

    private static int count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
