package dev.kindling.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import dev.kindling.testing.LocalContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 13: {@code saveAsTextFile("hdfs:///x")} wrote a local folder {@code ./hdfs:/x} and reported
 * success. Every API entry point that takes a path now fails at once on a scheme other than
 * {@code file:}, before any job and without creating anything in the working directory.
 */
@ExtendWith(LocalContext.class)
class OtherFileSystemPathsTest {

    private static final List<String> SCHEME_FOLDERS = List.of("hdfs:", "s3a:", "viewfs:");

    @TempDir
    Path dir;

    private static void assertRefused(KindlingContext kc, String role, String uri, Consumer<String> entryPoint) {
        AtomicInteger jobs = new AtomicInteger();
        kc.addListener(new SchedulerListener() {
            @Override
            public void onJobStart(SchedulerEvent.JobStart event) {
                jobs.incrementAndGet();
            }
        });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> entryPoint.accept(uri));
        String scheme = uri.substring(0, uri.indexOf(':'));
        assertTrue(e.getMessage().startsWith(role + " " + uri + " names the \"" + scheme + ":\" file system"),
                e.getMessage());
        assertEquals(0, jobs.get(), "a job ran before the path was refused");
        for (String folder : SCHEME_FOLDERS) {
            assertFalse(Files.exists(Path.of(folder)), () -> "a local folder " + Path.of(folder).toAbsolutePath()
                    + " was created");
        }
    }

    private static RDD<String> lines(KindlingContext kc) {
        return kc.parallelize(List.of("a b", "b c", "c"), 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hdfs:///x", "s3a://bucket/x", "viewfs://cluster/x"})
    void whenSavingTextToAnotherFileSystem_thenItFailsBeforeAnyJob(String uri, KindlingContext kc) {
        assertRefused(kc, "Output path", uri, p -> lines(kc).saveAsTextFile(p));
        assertRefused(kc, "Output path", uri, p -> lines(kc).saveAsTextFile(p, "gzip"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"hdfs:///x", "s3a://bucket/x", "viewfs://cluster/x"})
    void whenSavingObjectsToAnotherFileSystem_thenItFailsBeforeAnyJob(String uri, KindlingContext kc) {
        assertRefused(kc, "Output path", uri, p -> lines(kc).saveAsObjectFile(p));
    }

    @ParameterizedTest
    @ValueSource(strings = {"hdfs:///x", "s3a://bucket/x/*.txt", "viewfs://cluster/x"})
    void whenReadingFromAnotherFileSystem_thenEveryReaderFailsAtDeclaration(String uri, KindlingContext kc) {
        assertRefused(kc, "Input path", uri, kc::textFile);
        assertRefused(kc, "Input path", uri, p -> kc.textFile(p, 3));
        assertRefused(kc, "Input path", uri, kc::wholeTextFiles);
        assertRefused(kc, "Input path", uri, kc::binaryFiles);
        assertRefused(kc, "Input path", uri, kc::objectFile);
    }

    @Test
    void whenOneOfAListIsOnAnotherFileSystem_thenThatIsTheError(KindlingContext kc) throws Exception {
        Path local = Files.writeString(dir.resolve("in.txt"), "a\n");
        assertRefused(kc, "Input path", "hdfs:///x", p -> kc.textFile("/missing/local," + local + "," + p));
    }

    @ParameterizedTest
    @ValueSource(strings = {"hdfs:///checkpoints", "s3a://bucket/checkpoints"})
    void whenTheCheckpointDirectoryIsOnAnotherFileSystem_thenNothingIsCreatedAndNoneIsSet(String uri,
            KindlingContext kc) {
        assertRefused(kc, "Checkpoint directory", uri, kc::setCheckpointDir);
        assertTrue(kc.getCheckpointDir().isEmpty());
    }

    @Test
    void whenTheCheckpointDirectoryIsAFileUri_thenItIsCreatedThereAndNotUnderAFolderNamedFile(KindlingContext kc)
            throws Exception {
        Path base = dir.resolve("checkpoints");
        kc.setCheckpointDir("file://" + base);

        assertTrue(Path.of(kc.getCheckpointDir().orElseThrow()).startsWith(base), kc.getCheckpointDir()::get);
        assertTrue(Files.isDirectory(base));
        assertFalse(Files.exists(Path.of("file:")), "a local folder named file: was created");
    }

    @Test
    void whenALocalPathHasAColonAfterItsFirstSlash_thenItIsWrittenAndReadLocally(KindlingContext kc) throws Exception {
        List<String> expected = IntStream.range(0, 50).mapToObj(i -> "line:" + i).collect(Collectors.toList());
        Path out = dir.resolve("a:b").resolve("out:1");

        kc.parallelize(expected, 3).saveAsTextFile(out.toString());
        List<String> read = kc.textFile("file:" + out).collect();

        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        assertEquals(expected.stream().sorted().toList(), read.stream().sorted().toList());
        try (Stream<Path> parts = Files.list(out)) {
            assertEquals(3, parts.filter(p -> p.getFileName().toString().startsWith("part-")).count());
        }
    }
}
