package dev.kindling.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.testing.LocalContext;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Input path expansion (files, directories, globs, comma lists) and its errors, which come before any job. */
@ExtendWith(LocalContext.class)
class InputPathsTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, content);
    }

    private static List<String> names(List<Path> paths) {
        return paths.stream().map(p -> p.getFileName().toString()).toList();
    }

    @Test
    void directoriesAreReadOneLevelSkippingHiddenAndUnderscoreFiles(KindlingContext kc) throws IOException {
        write("out/part-00001", "b\n");
        write("out/part-00000", "a\n");
        write("out/_SUCCESS", "");
        write("out/.part-00000.crc", "junk\n");
        assertEquals(List.of("part-00000", "part-00001"), names(InputPaths.expand(dir.resolve("out").toString())));
        assertEquals(List.of("a", "b"), kc.textFile(dir.resolve("out").toString()).collect());
    }

    @Test
    void globsAndCommaListsAreExpandedInOrder() throws IOException {
        write("logs/a.log", "");
        write("logs/b.log", "");
        write("logs/c.txt", "");
        write("other/d.log", "");
        assertEquals(List.of("a.log", "b.log"), names(InputPaths.expand(dir + "/logs/*.log")));
        assertEquals(List.of("c.txt", "a.log", "b.log", "d.log"),
                names(InputPaths.expand(dir + "/logs/c.txt," + dir + "/*/?.log")));
        assertEquals(List.of("a.log", "c.txt"), names(InputPaths.expand(dir + "/logs/{a.log,c.txt}")));
        assertEquals(List.of("b.log"), names(InputPaths.expand(dir + "/logs/[^ac].log")));
        assertEquals(List.of("a.log"), names(InputPaths.expand("file://" + dir + "/logs/a.log")));
    }

    @Test
    void whenPathIsMissing_thenTextFileFailsAtDeclarationNamingIt(KindlingContext kc) {
        String missing = dir.resolve("nope.txt").toString();
        AtomicInteger jobs = new AtomicInteger();
        kc.addListener(new dev.kindling.scheduler.SchedulerListener() {
            @Override
            public void onJobStart(dev.kindling.scheduler.SchedulerEvent.JobStart event) {
                jobs.incrementAndGet();
            }
        });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kc.textFile(missing));
        assertTrue(e.getMessage().contains(missing), e.getMessage());
        assertEquals(0, jobs.get());
        assertThrows(IllegalArgumentException.class, () -> kc.wholeTextFiles(missing));
    }

    @Test
    void whenGlobMatchesNothing_thenTheErrorNamesThePattern(KindlingContext kc) throws IOException {
        write("x/a.txt", "");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> kc.textFile(dir + "/x/*.csv"));
        assertTrue(e.getMessage().contains("*.csv") && e.getMessage().contains("matches 0 files"), e.getMessage());
    }

    @Test
    void whenDirectoryHasASubdirectory_thenTheErrorNamesItAndSuggestsAGlob() throws IOException {
        write("nested/sub/a.txt", "");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InputPaths.expand(dir.resolve("nested").toString()));
        assertTrue(e.getMessage().contains("sub") && e.getMessage().contains("glob"), e.getMessage());
    }

    @Test
    void wholeTextFilesGivesOnePairPerFileWithSparksPathKey(KindlingContext kc) throws IOException {
        Map<String, String> expected = new TreeMap<>();
        for (int i = 0; i < 7; i++) {
            String content = "file " + i + "\nsecond line\r\n" + "x".repeat(i * 100);
            Path p = write("whole/f" + i + ".txt", content);
            expected.put("file:" + p.toAbsolutePath(), content);
        }
        Path gz = dir.resolve("whole/z.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("zipped\n".getBytes(StandardCharsets.UTF_8));
        }
        expected.put("file:" + gz.toAbsolutePath(), "zipped\n");
        var rdd = kc.wholeTextFiles(dir.resolve("whole").toString(), 3);
        assertEquals(3, rdd.getNumPartitions());
        assertEquals(expected, new TreeMap<>(rdd.collectAsMap()));
    }

    @Test
    void binaryFilesGivesTheRawBytes(KindlingContext kc) throws IOException {
        byte[] bytes = {0, (byte) 0xFF, '\n', (byte) 0x80};
        Path p = Files.write(dir.resolve("blob.bin"), bytes);
        List<Pair<String, byte[]>> all = kc.binaryFiles(p.toString()).collect();
        assertEquals(1, all.size());
        assertEquals("file:" + p.toAbsolutePath(), all.get(0).key());
        assertArrayEquals(bytes, all.get(0).value());
    }

    @Test
    void packingFilesNeverMakesEmptyPartitionsAndKeepsOrder() throws IOException {
        List<Path> files = List.of(dir.resolve("a"), dir.resolve("b"), dir.resolve("c"));
        for (Path f : files) {
            Files.write(f, new byte[f.getFileName().toString().equals("a") ? 1000 : 1]);
        }
        // maxSplitSize 334 (1002 bytes / 3): a alone reaches it, b and c together do not.
        assertEquals(List.of(List.of("a"), List.of("b", "c")), groupNames(WholeFilesRDD.pack(files, 334)));
        assertEquals(List.of(List.of("a"), List.of("b"), List.of("c")), groupNames(WholeFilesRDD.pack(files, 1)));
        assertEquals(List.of(List.of("a", "b", "c")), groupNames(WholeFilesRDD.pack(files, 0)), "0: no limit");
    }

    private static List<List<String>> groupNames(List<List<String>> groups) {
        return groups.stream().map(g -> g.stream().map(f -> Path.of(f).getFileName().toString()).toList()).toList();
    }
}
