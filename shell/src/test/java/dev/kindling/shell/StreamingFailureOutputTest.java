package dev.kindling.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a person reads on stderr when {@code bin/kindling streaming} cannot run or fails, from a real child JVM. */
@Tag("slow")
class StreamingFailureOutputTest {

    @TempDir
    Path dir;

    @Test
    void whenTheMapperKeepsFailing_thenItsStderrIsShownOncePerFailedAttempt() throws Exception {
        Files.writeString(dir.resolve("in.txt"), "a b\nc d\n");
        Files.writeString(dir.resolve("notes.txt"), "not shipped\n");
        Path fail = Files.writeString(dir.resolve("fail.sh"), "#!/bin/sh\ncat >/dev/null\n"
                + "echo 'mapper-exploded-on-purpose' >&2\necho 'second line of stderr' >&2\nexit 3\n");
        Files.setPosixFilePermissions(fail, PosixFilePermissions.fromString("rwxr-xr-x"));

        Processes.Result result = Processes.launcher(dir, null, "streaming", "-D", "mapreduce.map.maxattempts=3",
                "-D", "mapreduce.job.maps=1", "-input", "in.txt", "-output", "out", "-file", "fail.sh",
                "-mapper", "./fail.sh notes.txt");

        assertEquals(1, result.exitCode(), result::all);
        String err = result.err();
        assertTrue(err.contains("Failed map tasks=3"), result::all);
        assertEquals(3, count(err, "Status : FAILED"), result::all);
        assertEquals(3, count(err, "mapper-exploded-on-purpose"), result::all);
        assertEquals(3, count(err, "second line of stderr"), result::all);
        assertEquals(3, count(err, "Error: subprocess failed with code 3 (mapper fail.sh notes.txt)"), result::all);
        for (int attempt = 0; attempt < 3; attempt++) {
            assertTrue(Pattern.compile("Task Id : attempt_kindling\\d+_\\d+_m_000000_" + attempt + ", Status : FAILED")
                    .matcher(err).find(), result::all);
        }
        // The job's failure names the last attempt and the exit status; its stderr is not repeated.
        String tail = err.substring(err.indexOf("failed with state FAILED"));
        assertTrue(tail.contains("m_000000_2: subprocess failed with code 3"), result::all);
        assertFalse(tail.contains("mapper-exploded-on-purpose"), result::all);
        assertEquals(1, count(err, "Job not successful"), result::all);
        // An argument naming an unshipped file of the current directory gets the -file hint, once.
        assertEquals(1, count(err, "did you mean -file notes.txt?"), result::all);
        assertFalse(Files.exists(dir.resolve("out")), result::all);
    }

    @Test
    void whenTheMapperIsAnUnshippedFile_thenTheHintSaysToShipItAndNothingRuns() throws Exception {
        Files.writeString(dir.resolve("in.txt"), "a\n");
        Files.writeString(dir.resolve("mapper.py"), "print('never run')\n");

        Processes.Result result = Processes.launcher(dir, null, "streaming", "-input", "in.txt", "-output", "out",
                "-mapper", "mapper.py");

        assertEquals(3, result.exitCode(), result::all);
        assertTrue(result.err().contains("Cannot run program \"mapper.py\" given as -mapper: mapper.py is in the current"
                + " directory but was not shipped") && result.err().contains("did you mean -file mapper.py?"), result::all);
        assertEquals(1, count(result.err(), "did you mean"), result::all);
        assertFalse(Files.exists(dir.resolve("out")), result::all);
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
