package dev.kindling.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: {@code bin/kindling streaming -output hdfs:///x} wrote {@code ./hdfs:/x} and reported
 * success. Through the real launcher, run in a temporary working directory: a path on another file
 * system fails with a one-line reason naming it, a non-zero status, and nothing new in that directory.
 */
@Tag("slow")
class OtherFileSystemCliTest {

    @TempDir
    Path work;

    private List<String> workDirectory() throws Exception {
        try (Stream<Path> list = Files.list(work)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void writeInput() throws Exception {
        Files.writeString(work.resolve("in.txt"), "a b\nb c\n");
    }

    @Test
    void whenStreamingOutputIsOnHdfs_thenItExitsFiveAndWritesNothing() throws Exception {
        writeInput();

        Processes.Result result = Processes.launcher(work, null, "streaming", "-input", "in.txt", "-output",
                "hdfs:///user/me/out", "-mapper", "cat", "-reducer", "NONE");

        assertEquals(5, result.exitCode(), result::all);
        assertTrue(result.err().contains("-output hdfs:///user/me/out names the \"hdfs:\" file system"), result::all);
        assertEquals(List.of("in.txt"), workDirectory(), result::all);
    }

    @Test
    void whenStreamingInputIsOnS3_thenItExitsFiveBeforeCreatingTheOutput() throws Exception {
        Processes.Result result = Processes.launcher(work, null, "streaming", "-input", "s3a://bucket/in",
                "-output", "out", "-mapper", "cat");

        assertEquals(5, result.exitCode(), result::all);
        assertTrue(result.err().contains("Input path s3a://bucket/in names the \"s3a:\" file system"), result::all);
        assertEquals(List.of(), workDirectory(), result::all);
    }

    @Test
    void whenAShippedFileIsOnHdfs_thenItExitsFiveAndWritesNothing() throws Exception {
        writeInput();

        Processes.Result result = Processes.launcher(work, null, "streaming", "-files", "hdfs:///apps/mapper.py",
                "-input", "in.txt", "-output", "out", "-mapper", "mapper.py");

        assertEquals(5, result.exitCode(), result::all);
        assertTrue(result.err().contains("-files entry hdfs:///apps/mapper.py names the \"hdfs:\" file system"),
                result::all);
        assertEquals(List.of("in.txt"), workDirectory(), result::all);
    }

    @Test
    void whenAnExampleWritesToHdfs_thenItExitsOneAndWritesNothing() throws Exception {
        writeInput();

        Processes.Result result = Processes.launcher(work, null, "run", "--master", "local[1]", "wordcount", "in.txt",
                "hdfs://namenode:8020/out");

        assertEquals(1, result.exitCode(), result::all);
        assertTrue(result.err().contains("Output path hdfs://namenode:8020/out names the \"hdfs:\" file system"),
                result::all);
        assertEquals(List.of("in.txt"), workDirectory(), result::all);
    }

    @Test
    void whenAnExampleReadsFromViewfs_thenItExitsOneAndWritesNothing() throws Exception {
        Processes.Result result = Processes.launcher(work, null, "run", "--master", "local[1]", "wordcount",
                "viewfs://cluster/in", "out");

        assertEquals(1, result.exitCode(), result::all);
        assertTrue(result.err().contains("Input path viewfs://cluster/in names the \"viewfs:\" file system"),
                result::all);
        assertEquals(List.of(), workDirectory(), result::all);
    }
}
