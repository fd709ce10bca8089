package dev.kindling.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.Kindling;
import dev.kindling.KindlingConf;
import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.scheduler.JobFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, data loss: {@code kindling.output.overwrite=true} deleted the job's own input before
 * reading it, and with the output {@code ""} wiped the current directory. These tests pin the
 * overwrite guards: everything is checked before anything is deleted.
 */
class OutputOverwriteGuardTest {

    @TempDir
    Path dir;

    private final List<KindlingContext> contexts = new ArrayList<>();

    @AfterEach
    void closeContexts() {
        contexts.forEach(KindlingContext::close);
    }

    private KindlingContext context(boolean force) {
        Kindling.Builder b = Kindling.builder().master("local[2]").config(KindlingConf.OUTPUT_OVERWRITE, "true");
        if (force) {
            b.config(KindlingConf.OUTPUT_OVERWRITE_FORCE, "true");
        }
        KindlingContext kc = b.build();
        contexts.add(kc);
        return kc;
    }

    /** Every file under {@code root} with its content: what must survive a refused save. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(), new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
            }
        }
        return files;
    }

    private Path input() throws IOException {
        Path in = Files.createDirectories(dir.resolve("data/in"));
        Files.writeString(in.resolve("a.txt"), "b a\nc\n");
        Files.writeString(in.resolve("b.txt"), "a b\n");
        return in;
    }

    @Test
    void whenTheOutputIsTheJobsOwnInput_thenOverwriteRefusesAndTheInputSurvives() throws IOException {
        Path in = input();
        Map<String, String> before = snapshot(dir);
        KindlingContext kc = context(true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> kc.textFile(in.toString()).map(String::toUpperCase).saveAsTextFile(in.toString()));
        assertTrue(e.getMessage().contains(in.toString()) && e.getMessage().contains("input of this job"), e.getMessage());
        assertEquals(before, snapshot(dir));
    }

    @Test
    void whenTheOutputIsASymbolicLinkToTheInput_thenOverwriteRefuses() throws IOException {
        Path in = input();
        Path link = Files.createSymbolicLink(dir.resolve("link"), in);
        Map<String, String> before = snapshot(in);
        KindlingContext kc = context(true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> kc.textFile(in.toString()).saveAsTextFile(link.toString()));
        assertTrue(e.getMessage().contains(link.toString()) && e.getMessage().contains("input of this job"), e.getMessage());
        assertEquals(before, snapshot(in));
    }

    @Test
    void whenTheOutputIsAParentOfAnInputBehindAShuffle_thenOverwriteRefuses() throws IOException {
        Path in = input();
        Map<String, String> before = snapshot(dir);
        KindlingContext kc = context(true);
        RDD<String> counts = kc.textFile(in.resolve("*.txt").toString()).flatMap(l -> List.of(l.split(" ")).iterator())
                .mapToPair(w -> new dev.kindling.Pair<>(w, 1)).reduceByKey(Integer::sum).map(Object::toString);
        Path parent = in.getParent();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> counts.saveAsTextFile(parent.toString()));
        assertTrue(e.getMessage().contains("an input of this job") && e.getMessage().contains("a.txt"), e.getMessage());
        assertEquals(before, snapshot(dir));
    }

    @Test
    void wholeTextFilesAndObjectFileInputsAreProtectedToo() throws IOException {
        Path in = input();
        KindlingContext kc = context(true);
        assertThrows(IllegalArgumentException.class,
                () -> kc.wholeTextFiles(in.toString()).keys().saveAsTextFile(in.toString()));
        assertThrows(IllegalArgumentException.class,
                () -> kc.binaryFiles(in.toString()).keys().saveAsTextFile(dir.resolve("data").toString()));
        Path objects = dir.resolve("objects");
        kc.parallelize(List.of(1, 2, 3), 2).saveAsObjectFile(objects.toString());
        Map<String, String> before = snapshot(objects);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> kc.<Integer>objectFile(objects.toString()).map(x -> x * 2).saveAsObjectFile(objects.toString()));
        assertTrue(e.getMessage().contains("input of this job"), e.getMessage());
        assertEquals(before, snapshot(objects));
    }

    @Test
    void whenTheOutputPathIsEmpty_thenTheSaveFailsNamingIt() {
        KindlingContext kc = context(true);
        for (String empty : new String[] {"", "  "}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> kc.parallelize(List.of("x"), 1).saveAsTextFile(empty));
            assertTrue(e.getMessage().startsWith("Output path is empty"), e.getMessage());
        }
    }

    @Test
    void whenTheDirectoryIsNotAPreviousOutput_thenOverwriteNeedsForce() throws IOException {
        Path notes = Files.createDirectories(dir.resolve("notes"));
        Files.writeString(notes.resolve("todo.txt"), "keep me");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> context(false).parallelize(List.of("x"), 1).saveAsTextFile(notes.toString()));
        assertTrue(e.getMessage().contains(notes.toString()) && e.getMessage().contains("not a previous output")
                && e.getMessage().contains("todo.txt") && e.getMessage().contains(KindlingConf.OUTPUT_OVERWRITE_FORCE + "=true"),
                e.getMessage());
        assertEquals(Map.of("todo.txt", "keep me"), snapshot(notes));

        context(true).parallelize(List.of("x"), 1).saveAsTextFile(notes.toString());
        assertEquals(Map.of("_SUCCESS", "", "part-00000", "x\n"), snapshot(notes));
    }

    @Test
    void aPreviousOutputOrAnEmptyDirectoryIsReplacedWithoutForce() throws IOException {
        Path out = dir.resolve("out");
        KindlingContext kc = context(false);
        kc.parallelize(List.of("a", "b", "c"), 3).saveAsTextFile(out.toString());
        kc.parallelize(List.of("d"), 1).saveAsTextFile(out.toString());
        assertEquals(Map.of("_SUCCESS", "", "part-00000", "d\n"), snapshot(out));
        Path empty = Files.createDirectories(dir.resolve("empty"));
        kc.parallelize(List.of("e"), 1).saveAsTextFile(empty.toString());
        assertEquals(Map.of("_SUCCESS", "", "part-00000", "e\n"), snapshot(empty));
    }

    @Test
    void whenTheOverwritingJobFails_thenThePreviousOutputIsUntouched() throws IOException {
        Path out = dir.resolve("out");
        KindlingContext kc = context(false);
        kc.parallelize(List.of("a", "b", "c"), 3).saveAsTextFile(out.toString());
        Map<String, String> before = snapshot(out);
        RDD<String> failing = kc.parallelize(List.of("x", "y"), 2).map(s -> {
            if (s.equals("y")) {
                throw new IllegalStateException("injected failure");
            }
            return s;
        });
        assertThrows(JobFailedException.class, () -> failing.saveAsTextFile(out.toString()));
        assertEquals(before, snapshot(out));
        assertEquals(List.of("a", "b", "c"), kc.textFile(out.toString()).collect());
    }

    @Test
    void theRootHomeCurrentDirectoryAndItsParentsAreNeverOverwritten() throws Exception {
        // A child JVM whose current directory and home are inside this test's temporary directory.
        Path cwd = Files.createDirectories(dir.resolve("top/work/cwd"));
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(cwd.resolve("keep.txt"), "keep");
        Files.writeString(home.resolve(".profile"), "keep");
        Map<String, String> before = snapshot(dir);
        List<String> lines = new ArrayList<>();
        try (ChildJvm child = ChildJvm.startWith(cwd, dir.resolve("child.log"), List.of("-Duser.home=" + home),
                "overwrite", ".", "..", dir.resolve("top").toString(), home.toString(), "/")) {
            for (String l = child.readLine(); l != null; l = child.readLine()) {
                lines.add(l);
            }
            assertEquals(0, child.waitFor(), Files.readString(dir.resolve("child.log")) + lines);
        }
        assertEquals(5, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("REFUSED .: Refusing to overwrite " + cwd.toRealPath())
                && lines.get(0).contains("it is the current directory"), lines.get(0));
        assertTrue(lines.get(1).contains("it is a parent of the current directory"), lines.get(1));
        assertTrue(lines.get(2).contains("it is a parent of the current directory"), lines.get(2));
        assertTrue(lines.get(3).contains("it is your home directory"), lines.get(3));
        assertTrue(lines.get(4).startsWith("REFUSED /:") && lines.get(4).contains("it is the filesystem root"), lines.get(4));
        Map<String, String> after = snapshot(dir);
        after.remove("child.log");
        assertEquals(before, after);
    }
}
