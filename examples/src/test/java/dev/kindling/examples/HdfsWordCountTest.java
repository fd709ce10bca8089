package dev.kindling.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.scheduler.JobFailedException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * textFile and saveAsTextFile on hdfs:// paths, through Hadoop's FileSystem API, against a real
 * in-process HDFS (Hadoop's MiniDFSCluster, one name node and one data node, started once for the
 * class): word count from HDFS to HDFS compared with a java.util.stream count, and the commit
 * protocol's visible rules (existing output refused, failed job leaves nothing).
 */
@Tag("slow")
class HdfsWordCountTest {

    @TempDir
    static Path base;

    private static MiniDFSCluster cluster;
    private static FileSystem fs;
    private static String root;

    @BeforeAll
    static void startHdfs() throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        fs = cluster.getFileSystem();
        root = fs.getUri().toString();
    }

    @AfterAll
    static void stopHdfs() throws Exception {
        if (fs != null) {
            fs.close();
        }
        if (cluster != null) {
            cluster.shutdown(true);
        }
    }

    private static KindlingContext context() {
        // Small splits, so that each input file is read by several tasks and the split rule is exercised.
        return Kindling.builder().master("local[2]").config("kindling.input.splitSize", "700").build();
    }

    private static void write(String path, String text) throws Exception {
        try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(path), false)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static List<String> names(String dir) throws Exception {
        return Arrays.stream(fs.listStatus(new org.apache.hadoop.fs.Path(dir))).map(s -> s.getPath().getName()).sorted()
                .toList();
    }

    @Test
    void wordCountFromHdfsToHdfsMatchesAStreamCount() throws Exception {
        Random random = new Random(13);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            StringBuilder line = new StringBuilder();
            for (int w = random.nextInt(8); w > 0; w--) {
                line.append("w").append((int) Math.abs(random.nextGaussian() * 40)).append(random.nextBoolean() ? " " : "\t");
            }
            lines.add(line.toString());
        }
        write("/wc/in/a.txt", String.join("\n", lines.subList(0, 1_200)) + "\n");
        write("/wc/in/b.txt", String.join("\r\n", lines.subList(1_200, lines.size())));
        write("/wc/in/_ignored", "not read\n");
        Map<String, Long> expected = lines.stream().flatMap(l -> Arrays.stream(l.split("\\s+")))
                .filter(w -> !w.isEmpty()).collect(Collectors.groupingBy(Function.identity(), TreeMap::new,
                        Collectors.counting()));

        try (KindlingContext kc = context()) {
            WordCount.count(kc, root + "/wc/in").map(kv -> kv.key() + "\t" + kv.value())
                    .saveAsTextFile(root + "/wc/out");

            assertTrue(kc.textFile(root + "/wc/in").numPartitions() > 4, "expected several splits per file");
            assertEquals(lines.size(), kc.textFile(root + "/wc/in").count());
            List<String> readBack = kc.textFile(root + "/wc/out").collect();
            assertEquals(expected, parse(readBack));
        }
        List<String> out = names("/wc/out");
        assertTrue(out.contains("_SUCCESS"), out::toString);
        assertFalse(out.contains("_temporary"), out::toString);
        List<String> direct = new ArrayList<>();
        for (FileStatus part : fs.listStatus(new org.apache.hadoop.fs.Path("/wc/out"))) {
            if (part.getPath().getName().startsWith("part-")) {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(part.getPath()),
                        StandardCharsets.UTF_8))) {
                    r.lines().forEach(direct::add);
                }
            }
        }
        assertEquals(expected, parse(direct));
    }

    private static Map<String, Long> parse(List<String> lines) {
        Map<String, Long> counts = new TreeMap<>();
        for (String l : lines) {
            String[] kv = l.split("\t");
            assertEquals(null, counts.put(kv[0], Long.parseLong(kv[1])), "word written twice: " + kv[0]);
        }
        return counts;
    }

    @Test
    void whenTheHdfsOutputExists_thenTheSaveIsRefusedAndTheOutputIsUntouched() throws Exception {
        write("/exists/part-00000", "old\n");
        try (KindlingContext kc = context()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> kc.parallelize(List.of("new"), 1).saveAsTextFile(root + "/exists"));
            assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        }
        assertEquals(List.of("part-00000"), names("/exists"));
    }

    @Test
    void whenAJobWritingToHdfsFails_thenNoOutputDirectoryIsLeft() throws Exception {
        try (KindlingContext kc = Kindling.builder().master("local[2]").config("kindling.task.maxFailures", "1").build()) {
            assertThrows(JobFailedException.class, () -> kc.parallelize(List.of(1, 2, 3, 4), 2)
                    .map(i -> {
                        if (i == 4) {
                            throw new IllegalStateException("element 4 fails on purpose");
                        }
                        return i;
                    }).saveAsTextFile(root + "/failed"));
        }
        assertFalse(fs.exists(new org.apache.hadoop.fs.Path("/failed")));
    }
}
