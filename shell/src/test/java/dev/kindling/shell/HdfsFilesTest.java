package dev.kindling.shell;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.Kindling;
import dev.kindling.KindlingConf;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.RDD;
import dev.kindling.internal.io.FsPath;
import dev.kindling.shell.streaming.StreamingJob;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file API on hdfs:// paths, through Hadoop's FileSystem API, against a real in-process HDFS
 * (Hadoop's MiniDFSCluster, one name node and one data node, started once for the class), each
 * compared with an independent local computation: wholeTextFiles, binaryFiles, saveAsObjectFile and
 * objectFile, checkpoint directories, the streaming runner's -input/-output (byte-identical to the
 * same job on local paths), the commit protocol (a save that fails half-way leaves nothing; an
 * existing output is refused, replaced only under the overwrite rules), block hosts as preferred
 * locations, and the error for a scheme Hadoop has no file system for. Runs in a surefire execution
 * of its own that adds Hadoop's jars (see shell/pom.xml), also when {@code -Dtest=...} selects other
 * tests ({@code -Dkindling.skipHdfsTest=true} leaves it out then); to run it alone:
 * {@code mvn -pl shell -am test -Dtest=None -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("slow")
class HdfsFilesTest {

    @TempDir
    static Path base;

    /** Hadoop's MiniDFSCluster, reached reflectively: its jar is on the class path of this test's run only. */
    private static Object cluster;
    private static FileSystem fs;
    private static String root;

    @BeforeAll
    static void startHdfs() throws Exception {
        Configuration conf = new Configuration();
        conf.set("hdfs.minidfs.basedir", base.resolve("dfs").toString());
        // Small blocks, so that a small file has several (for the locality test).
        conf.setLong("dfs.namenode.fs-limits.min-block-size", 0);
        Class<?> builderType = Class.forName("org.apache.hadoop.hdfs.MiniDFSCluster$Builder");
        Object builder = builderType.getConstructor(Configuration.class).newInstance(conf);
        builderType.getMethod("numDataNodes", int.class).invoke(builder, 1);
        cluster = builderType.getMethod("build").invoke(builder);
        cluster.getClass().getMethod("waitActive").invoke(cluster);
        fs = (FileSystem) cluster.getClass().getMethod("getFileSystem").invoke(cluster);
        root = fs.getUri().toString();
    }

    @AfterAll
    static void stopHdfs() throws Exception {
        if (fs != null) {
            fs.close();
        }
        if (cluster != null) {
            cluster.getClass().getMethod("shutdown", boolean.class).invoke(cluster, true);
        }
    }

    private static KindlingContext context() {
        return Kindling.builder().master("local[2]").config(KindlingConf.SHOW_CONSOLE_PROGRESS, "false").build();
    }

    private static void write(String path, byte[] bytes) throws IOException {
        try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(path), false)) {
            out.write(bytes);
        }
    }

    private static byte[] read(org.apache.hadoop.fs.Path path) throws IOException {
        try (InputStream in = fs.open(path)) {
            return in.readAllBytes();
        }
    }

    private static List<String> names(String dir) throws IOException {
        return Arrays.stream(fs.listStatus(new org.apache.hadoop.fs.Path(dir))).map(s -> s.getPath().getName())
                .sorted().toList();
    }

    @Test
    void wholeTextFilesAndBinaryFiles_giveEachFileWithItsUri_asTheFilesWritten() throws Exception {
        Map<String, byte[]> written = new TreeMap<>();
        Random random = new Random(13);
        for (int i = 0; i < 7; i++) {
            byte[] content = ("file " + i + "\n" + "x".repeat(random.nextInt(3000)) + "\nü\n").getBytes(StandardCharsets.UTF_8);
            String path = root + "/whole/f" + i + ".txt";
            write(path, content);
            written.put(path, content);
        }
        write(root + "/whole/_ignored", new byte[] {1});

        try (KindlingContext kc = context()) {
            Map<String, String> text = new TreeMap<>(kc.wholeTextFiles(root + "/whole", 3).collectAsMap());
            Map<String, byte[]> binary = new TreeMap<>(kc.binaryFiles(root + "/whole/f*.txt").collectAsMap());
            RDD<?> whole = kc.wholeTextFiles(root + "/whole", 3).rdd();
            assertEquals(whole.numPartitions(), roundTrip(whole).numPartitions(), "serializable, as tasks need");

            Map<String, String> expectedText = new TreeMap<>();
            written.forEach((k, v) -> expectedText.put(k, new String(v, StandardCharsets.UTF_8)));
            assertEquals(expectedText, text);
            assertEquals(written.keySet(), binary.keySet());
            written.forEach((k, v) -> assertArrayEquals(v, binary.get(k), k));
        }
    }

    @Test
    void saveAsObjectFile_thenObjectFile_givesTheElementsBack_withTheCommitProtocolsFiles() throws Exception {
        List<Pair<Integer, String>> data = IntStream.range(0, 5000).mapToObj(i -> new Pair<>(i, "v" + (i * 31 % 97)))
                .toList();
        String out = root + "/objects";
        try (KindlingContext kc = context()) {
            kc.parallelize(data, 4).saveAsObjectFile(out);
            List<Pair<Integer, String>> back = new ArrayList<>(kc.<Pair<Integer, String>>objectFile(out).collect());
            back.sort((a, b) -> Integer.compare(a.key(), b.key()));
            assertEquals(data, back);
        }
        assertEquals(List.of("_SUCCESS", "part-00000", "part-00001", "part-00002", "part-00003"), names(out));
    }

    @Test
    void aSaveThatFailsHalfWay_leavesNoOutputDirectory() throws Exception {
        String text = root + "/failed-text";
        String objects = root + "/failed-objects";
        try (KindlingContext kc = context()) {
            RDD<Integer> failing = kc.parallelize(IntStream.range(0, 1000).boxed().toList(), 4).map(i -> {
                if (i == 900) {
                    throw new IllegalStateException("boom at " + i);
                }
                return i;
            });
            assertThrows(RuntimeException.class, () -> failing.saveAsTextFile(text));
            assertThrows(RuntimeException.class, () -> failing.saveAsObjectFile(objects));
        }
        assertFalse(fs.exists(new org.apache.hadoop.fs.Path(text)), () -> "no half output, no _SUCCESS: " + tree(text));
        assertFalse(fs.exists(new org.apache.hadoop.fs.Path(objects)), () -> "no half output, no _SUCCESS: " + tree(objects));
    }

    /**
     * A killed attempt's HDFS call can still reach the name node after its job was aborted (the client
     * sends an interrupted call anyway): file and directory creation must then fail for the missing
     * parent, not make the deleted output directories again (as {@code FileSystem.create} would).
     */
    @Test
    void creatingUnderAMissingDirectory_failsAndMakesNoParents() throws Exception {
        String gone = root + "/aborted-save";
        FsPath part = FsPath.of(gone + "/_temporary/0/_temporary/attempt_x_m_000001_0/part-00001", "Output path");
        FsPath attempt = FsPath.of(gone + "/_temporary/0/_temporary/attempt_x_m_000001_0", "Output path");
        assertThrows(NoSuchFileException.class, () -> part.fs().create(part.path()).close());
        assertThrows(NoSuchFileException.class, () -> attempt.fs().createDirectory(attempt.path()));
        assertFalse(fs.exists(new org.apache.hadoop.fs.Path(gone)), () -> tree(gone));
    }

    /** Every path under {@code dir}, for a failure message. */
    private static String tree(String dir) {
        try {
            List<String> paths = new ArrayList<>();
            var it = fs.listFiles(new org.apache.hadoop.fs.Path(dir), true);
            while (it.hasNext()) {
                paths.add(it.next().getPath().toUri().getPath());
            }
            return paths.isEmpty() ? dir + " (no files)" : String.join(", ", paths);
        } catch (IOException e) {
            return dir + " (" + e + ")";
        }
    }

    @Test
    void anExistingOutput_isRefused_andReplacedOnlyWithOverwrite() throws Exception {
        String out = root + "/replaced";
        try (KindlingContext kc = context()) {
            kc.parallelize(List.of("a", "b"), 2).saveAsTextFile(out);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> kc.parallelize(List.of("c"), 1).saveAsTextFile(out));
            assertTrue(e.getMessage().contains("already exists") && e.getMessage().contains("hdfs dfs -rm -r"),
                    e.getMessage());
        }
        try (KindlingContext kc = Kindling.builder().master("local[2]").config(KindlingConf.OUTPUT_OVERWRITE, "true")
                .build()) {
            kc.parallelize(List.of("c"), 1).saveAsTextFile(out);
            assertEquals(List.of("c"), kc.textFile(out).collect());
            // Never over the job's own input, even with overwrite.
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> kc.textFile(out).map(String::toUpperCase).saveAsTextFile(out));
            assertTrue(e.getMessage().contains("an input of this job"), e.getMessage());
        }
        assertEquals(List.of("_SUCCESS", "part-00000"), names(out));
    }

    @Test
    void anOutputClaimedByAWriterOnAnotherHost_isNeverTakenOver() throws Exception {
        String out = root + "/claimed";
        // A previous output that a writer on another machine is replacing: its claim names that host.
        write(out + "/_SUCCESS", new byte[0]);
        write(out + "/_temporary/kindling-writer", "1\n1\nother_0001\nanother-host.example\n"
                .getBytes(StandardCharsets.UTF_8));
        try (KindlingContext kc = Kindling.builder().master("local[2]").config(KindlingConf.OUTPUT_OVERWRITE, "true")
                .build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> kc.parallelize(List.of("x"), 1).saveAsTextFile(out));
            assertTrue(e.getMessage().contains("already being written by another job (process 1 on host"
                    + " another-host.example"), e.getMessage());
        }
        assertEquals(List.of("_SUCCESS", "_temporary"), names(out), "the other writer's files are untouched");
    }

    @Test
    void aCheckpointOnHdfs_isWrittenThere_andReadBackAfterTheLineageIsCut() throws Exception {
        try (KindlingContext kc = context()) {
            kc.setCheckpointDir(root + "/checkpoints");
            assertTrue(kc.getCheckpointDir().orElseThrow().startsWith(root + "/checkpoints/"),
                    kc.getCheckpointDir().orElseThrow());
            RDD<Integer> squares = kc.parallelize(IntStream.range(0, 300).boxed().toList(), 3).map(i -> i * i);
            squares.checkpoint();
            assertEquals(300, squares.count());
            assertTrue(squares.isCheckpointed());
            String dir = squares.getCheckpointFile().orElseThrow();
            assertTrue(dir.startsWith(root), dir);
            assertEquals(List.of("part-00000", "part-00001", "part-00002"), names(dir));
            assertEquals(IntStream.range(0, 300).map(i -> i * i).boxed().toList(), squares.collect());
        }
    }

    @Test
    void textFileSplits_preferTheHostsThatHoldTheirBlocks() throws Exception {
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(root + "/blocks.txt");
        // 192 lines of 16 bytes: exactly three 1 KB blocks.
        byte[] content = IntStream.range(0, 192).mapToObj(i -> String.format("line %010d", i))
                .collect(Collectors.joining("\n", "", "\n")).getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = fs.create(file, true, 4096, (short) 1, 1024)) {
            out.write(content);
        }
        FileStatus status = fs.getFileStatus(file);
        BlockLocation[] blocks = fs.getFileBlockLocations(status, 0, status.getLen());
        assertEquals(3, blocks.length, "a 3-block file");
        // No kindling.input.splitSize: as Hadoop's FileInputFormat, the file's own 1 KB block size cuts it.
        try (KindlingContext kc = Kindling.builder().master("local[2]").build()) {
            RDD<String> lines = kc.textFile(file.toString());
            assertEquals(3, lines.numPartitions());
            for (int p = 0; p < 3; p++) {
                assertEquals(Arrays.asList(blocks[p].getHosts()), lines.preferredLocations(p), "split " + p);
            }
            assertEquals(192, lines.count());
            // The RDD crosses the task boundary as bytes, its splits and hosts with it.
            RDD<?> copy = roundTrip(lines);
            assertEquals(3, copy.numPartitions());
            assertEquals(lines.preferredLocations(2), copy.preferredLocations(2));
        }
        // The key, when set, cuts instead of the block size: 3,072 bytes at 2,048 are two splits.
        try (KindlingContext kc = Kindling.builder().master("local[2]").config("kindling.input.splitSize", "2048")
                .build()) {
            RDD<String> lines = kc.textFile(file.toString());
            assertEquals(2, lines.numPartitions());
            assertEquals(192, lines.count());
        }
    }

    private static RDD<?> roundTrip(RDD<?> rdd) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(rdd);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (RDD<?>) in.readObject();
        }
    }

    @Test
    void streamingOnHdfsPaths_writesTheSameBytesAsOnLocalPaths() throws Exception {
        Random random = new Random(7);
        String words = IntStream.range(0, 2000).mapToObj(i -> "w" + random.nextInt(50))
                .collect(Collectors.joining("\n", "", "\n"));
        Path localIn = Files.writeString(base.resolve("words.txt"), words);
        write(root + "/stream/words.txt", words.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(log, true, StandardCharsets.UTF_8);

        Path localOut = base.resolve("stream-out");
        assertEquals(0, StreamingJob.run(new String[] {"-input", localIn.toString(), "-output", localOut.toString(),
            "-mapper", "cat", "-reducer", "uniq -c", "-numReduceTasks", "2"}, err), log::toString);
        assertEquals(0, StreamingJob.run(new String[] {"-input", root + "/stream/words.txt", "-output",
            root + "/stream/out", "-mapper", "cat", "-reducer", "uniq -c", "-numReduceTasks", "2"}, err), log::toString);

        assertEquals(List.of("_SUCCESS", "part-00000", "part-00001"), names(root + "/stream/out"));
        long total = 0;
        for (String part : List.of("part-00000", "part-00001")) {
            byte[] local = Files.readAllBytes(localOut.resolve(part));
            assertArrayEquals(local, read(new org.apache.hadoop.fs.Path(root + "/stream/out/" + part)), part);
            for (String line : new String(local, StandardCharsets.UTF_8).split("\n")) {
                total += Long.parseLong(line.trim().split("\\s+")[0]);
            }
        }
        assertEquals(2000, total, "uniq -c counts every word once");
        // An existing -output is refused before any task, with Hadoop's exit status for it.
        int status = StreamingJob.run(new String[] {"-input", root + "/stream/words.txt", "-output",
            root + "/stream/out", "-mapper", "cat"}, err);
        assertTrue(status != 0 && log.toString().contains("already exists"), log::toString);
    }

    @Test
    void aSchemeHadoopHasNoFileSystemFor_failsAtOnce_namingTheScheme_andCreatesNothing() throws Exception {
        try (KindlingContext kc = context()) {
            IllegalArgumentException in = assertThrows(IllegalArgumentException.class,
                    () -> kc.textFile("nosuchfs://bucket/in"));
            assertTrue(in.getMessage().contains("\"nosuchfs:\" file system") && in.getMessage().contains("Add the Hadoop"
                    + " module"), in.getMessage());
            assertFalse(in.getMessage().contains("\n"), "one line");
            IllegalArgumentException out = assertThrows(IllegalArgumentException.class,
                    () -> kc.parallelize(List.of(1), 1).saveAsTextFile("nosuchfs://bucket/out"));
            assertTrue(out.getMessage().startsWith("Output path nosuchfs://bucket/out names the \"nosuchfs:\""),
                    out.getMessage());
            assertThrows(IllegalArgumentException.class, () -> kc.wholeTextFiles("nosuchfs://bucket/in"));
            assertThrows(IllegalArgumentException.class, () -> kc.setCheckpointDir("nosuchfs://bucket/ck"));
        }
        assertFalse(Files.exists(Path.of("nosuchfs:")), "never a local folder named after the scheme");
    }
}
