package dev.kindling.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kindling streaming} passes Hadoop's single-dash options through picocli untouched and returns the job's exit status. */
class StreamingCommandTest {

    @TempDir
    Path dir;

    @Test
    void hadoopOptionsReachTheRunnerAndTheExitStatusComesBack() throws IOException {
        Path input = Files.writeString(dir.resolve("in.txt"), "b a\na\n");
        Path out = dir.resolve("out");
        assertEquals(0, KindlingCli.execute("streaming", "-D", "kindling.master=local[2]", "-input", input.toString(),
                "-output", out.toString(), "-mapper", "tr ' ' '\n'", "-reducer", "uniq -c"));
        String counts = Files.readString(out.resolve("part-00000"));
        assertTrue(counts.matches("\\s*2 a\t\n\\s*1 b\t\n"), counts);
        assertEquals(4, KindlingCli.execute("streaming", "-input", input.toString(), "-output", out.toString()));
        assertEquals(2, KindlingCli.execute("streaming", "-input", dir.resolve("missing").toString(),
                "-output", dir.resolve("o2").toString()));
        assertEquals(1, KindlingCli.execute("streaming", "-input", input.toString()));
        assertEquals(0, KindlingCli.execute("streaming", "-help"));
    }
}
