package dev.kindling.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.testing.LocalContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: {@code wholeTextFiles(path, minPartitions)} made about {@code minPartitions} groups
 * of equal size instead of Spark's packing (CombineFileInputFormat with {@code maxSplitSize =
 * ceil(totalBytes / minPartitions)}: files in order, a split closed once it reaches that size).
 */
@ExtendWith(LocalContext.class)
class WholeTextFilesPackingTest {

    @TempDir
    Path dir;

    @Test
    void smallFilesArePackedUntilASplitReachesTheMaximumSize(KindlingContext kc) throws IOException {
        int[] sizes = {10, 30, 5, 5, 50, 0, 20};  // 120 bytes; minPartitions 4 -> maxSplitSize 30
        writeFiles(sizes);

        List<List<String>> parts = fileNames(kc, 4);

        assertEquals(List.of(List.of("f0", "f1"), List.of("f2", "f3", "f4"), List.of("f5", "f6")), parts);
        assertEquals(List.of(List.of("f0", "f1", "f2", "f3", "f4", "f5", "f6")), fileNames(kc, 1));
    }

    @Test
    void randomFilesFollowThePackingRule(KindlingContext kc) throws IOException {
        Random random = new Random(7);
        int[] sizes = new int[25];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = random.nextInt(4) == 0 ? 0 : random.nextInt(300);
        }
        Map<String, String> contents = writeFiles(sizes);
        long total = 0;
        for (int s : sizes) {
            total += s;
        }
        for (int min = 1; min <= 12; min++) {
            long max = (long) Math.ceil((double) total / min);
            List<List<String>> parts = fileNames(kc, min);
            List<String> order = new ArrayList<>();
            for (int p = 0; p < parts.size(); p++) {
                List<String> g = parts.get(p);
                assertTrue(!g.isEmpty(), "no empty partition");
                order.addAll(g);
                long bytes = g.stream().mapToLong(f -> sizes[Integer.parseInt(f.substring(1))]).sum();
                long withoutLast = bytes - sizes[Integer.parseInt(g.get(g.size() - 1).substring(1))];
                assertTrue(withoutLast < max, "partition " + p + " closed only when it reached " + max);
                if (p < parts.size() - 1) {
                    assertTrue(bytes >= max, "partition " + p + " reached " + max + " (" + bytes + ")");
                }
            }
            assertEquals(new ArrayList<>(new TreeMap<>(contents).keySet()), order, "files in order, each once");
            Map<String, String> read = new TreeMap<>();
            kc.wholeTextFiles(dir.toString(), min).collect()
                    .forEach(kv -> read.put(Path.of(kv.key().substring("file:".length())).getFileName().toString(), kv.value()));
            assertEquals(new TreeMap<>(contents), read);
        }
    }

    private Map<String, String> writeFiles(int[] sizes) throws IOException {
        Map<String, String> contents = new TreeMap<>();
        for (int i = 0; i < sizes.length; i++) {
            String content = "x".repeat(sizes[i]);
            Files.writeString(dir.resolve(String.format("f%d", i)), content);
            contents.put("f" + i, content);
        }
        return contents;
    }

    /** The file names of each partition, in order. */
    private List<List<String>> fileNames(KindlingContext kc, int minPartitions) {
        List<List<String>> out = new ArrayList<>();
        for (List<Pair<String, String>> part : kc.wholeTextFiles(dir.toString(), minPartitions).rdd().glom().collect()) {
            out.add(part.stream().map(kv -> Path.of(kv.key().substring("file:".length())).getFileName().toString()).toList());
        }
        return out;
    }
}
