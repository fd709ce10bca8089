package dev.kindling.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.testing.LocalContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hadoop's line-ownership rule at every split boundary: for crafted and random small files, the
 * lines read split by split, for every split size from 1 byte to the file size, are exactly the
 * lines of the whole file (same order, nothing lost, nothing repeated).
 */
@ExtendWith(LocalContext.class)
class TextInputSplitTest {

    @TempDir
    Path dir;

    /** The reference: a plain loop splitting the whole content at \n, \r\n and \r. */
    static List<String> referenceLines(byte[] content) {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int i = 0;
        boolean open = false;
        while (i < content.length) {
            byte b = content[i++];
            if (b == '\n' || b == '\r') {
                if (b == '\r' && i < content.length && content[i] == '\n') {
                    i++;
                }
                lines.add(line.toString(StandardCharsets.ISO_8859_1));
                line.reset();
                open = false;
            } else {
                line.write(b);
                open = true;
            }
        }
        if (open) {
            lines.add(line.toString(StandardCharsets.ISO_8859_1));
        }
        return lines;
    }

    /** Reads every split of the plan in order, keeping bytes exact (ISO-8859-1). */
    static List<String> readAllSplits(List<FileSplit> splits) throws IOException {
        List<String> lines = new ArrayList<>();
        for (FileSplit split : splits) {
            try (SplitLineReader reader = SplitLineReader.open(split)) {
                while (reader.next()) {
                    lines.add(new String(reader.bytes(), reader.offset(), reader.length(), StandardCharsets.ISO_8859_1));
                }
            }
        }
        return lines;
    }

    private void assertEverySplitSizeReadsTheWholeFile(byte[] content) throws IOException {
        Path file = Files.write(Files.createTempFile(dir, "in", ".txt"), content);
        List<String> expected = referenceLines(content);
        for (long size = 1; size <= content.length + 1; size++) {
            List<FileSplit> plan = TextFileRDD.plan(List.of(file), 1, size);
            assertEquals(expected, readAllSplits(plan), "split size " + size + " of " + printable(content));
        }
    }

    private static String printable(byte[] content) {
        return "\"" + new String(content, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n") + "\"";
    }

    @Test
    void craftedBoundaryCasesReadEveryLineExactlyOnceForEverySplitSize() throws IOException {
        String[] cases = {
            "", "\n", "\r", "\r\n", "a", "a\n", "a\r\n", "a\r", "\n\n\n", "\r\r\r", "\r\n\r\n", "\n\r",
            "ab\r\ncd\r\nef", "a\rb\rc\r", "one\ntwo\nthree\n", "no final newline", "x\n\ny\n\n",
            "a very long line that is longer than most splits\nshort\n", "\r\n\n\r\r\n\n",
            "abc\r\r\n\ndef", "tail\r",
        };
        for (String c : cases) {
            assertEverySplitSizeReadsTheWholeFile(c.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void randomFilesReadEveryLineExactlyOnceForEverySplitSize() throws IOException {
        Random random = new Random(42);
        byte[] alphabet = {'a', 'b', 'c', '\r', '\n', (byte) 0xC3, (byte) 0xA9, ' '};
        for (int round = 0; round < 150; round++) {
            byte[] content = new byte[random.nextInt(40)];
            for (int i = 0; i < content.length; i++) {
                content[i] = alphabet[random.nextInt(alphabet.length)];
            }
            assertEverySplitSizeReadsTheWholeFile(content);
        }
    }

    /**
     * Lines are read in place in the reader's 64 KB buffer, and copied only when one crosses the
     * buffer's end: lines of every length around that end (a {@code \r\n} cut between two fills, a
     * line longer than the buffer, a byte order mark), read split by split for split sizes that
     * start splits inside, just before and just after the buffer boundary, are the file's lines.
     */
    @Test
    void linesCrossingTheReadBufferAreReadWholeForManySplitSizes() throws IOException {
        int buffer = 64 * 1024;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        Random random = new Random(7);
        String[] terminators = {"\n", "\r\n", "\r"};
        while (out.size() < buffer - 400) {
            out.writeBytes(("line" + out.size() + "x".repeat(random.nextInt(300))).getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(terminators[random.nextInt(3)].getBytes(StandardCharsets.ISO_8859_1));
        }
        // The \r of a \r\n as the buffer's last byte, its \n the next fill's first.
        out.writeBytes("y".repeat(buffer - 1 - out.size()).getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        // A line longer than the buffer, then short ones across the second boundary.
        out.writeBytes("z".repeat(buffer + 123).getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes("\n".getBytes(StandardCharsets.ISO_8859_1));
        while (out.size() < 3 * buffer + 500) {
            out.writeBytes(("w" + random.nextInt(1000)).getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(terminators[random.nextInt(3)].getBytes(StandardCharsets.ISO_8859_1));
        }
        byte[] content = out.toByteArray();
        Path file = Files.write(dir.resolve("large.txt"), content);
        List<String> expected = referenceLines(Arrays.copyOfRange(content, 3, content.length));
        long[] sizes = {1000, 4093, buffer - 1, buffer, buffer + 1, buffer + 2, 2L * buffer - 7, content.length};
        for (long size : sizes) {
            assertEquals(expected, readAllSplits(TextFileRDD.plan(List.of(file), 1, size)), "split size " + size);
        }
    }

    @Test
    void textFileThroughTheEngineMatchesTheReferenceForEveryMinPartitions(KindlingContext kc) throws IOException {
        byte[] content = "alpha\r\nbeta\n\ngamma\rdelta\r\n\r\nepsilon".getBytes(StandardCharsets.UTF_8);
        Path file = Files.write(dir.resolve("engine.txt"), content);
        List<String> expected = referenceLines(content);
        for (int min = 1; min <= content.length; min++) {
            var rdd = kc.textFile(file.toString(), min);
            assertTrue(rdd.getNumPartitions() >= Math.min(min, content.length / 2), "partitions for " + min);
            assertEquals(expected, rdd.collect(), "minPartitions " + min);
        }
    }

    @Test
    void whenMinPartitionsAsksForMore_thenSplitSizeFollowsHadoopsGoalAndSlop() throws IOException {
        Path file = Files.write(dir.resolve("hundred.txt"), new byte[100]);
        // goal = 100 / 4 = 25: cut while remaining / 25 > 1.1 -> 25, 25, 25, 25.
        assertEquals(List.of(0L, 25L, 50L, 75L), starts(TextFileRDD.plan(List.of(file), 4, 1000)));
        // goal = 100 / 3 = 33: 33, 33, then 34 left (34 / 33 <= 1.1) is one split.
        List<FileSplit> three = TextFileRDD.plan(List.of(file), 3, 1000);
        assertEquals(List.of(0L, 33L, 66L), starts(three));
        assertEquals(34L, three.get(2).length());
        // The configured maximum wins over the goal.
        assertEquals(10, TextFileRDD.plan(List.of(file), 1, 10).size());
    }

    private static List<Long> starts(List<FileSplit> splits) {
        return splits.stream().map(FileSplit::start).toList();
    }

    @Test
    void whenALargeFileIsSplitByDefault_thenTwoThreadsGetWorkWithinOneSplitOfEachOther() {
        long size = 200L << 20;
        List<FileSplit> plan = TextFileRDD.plan(List.of("big.txt"), new long[] {size}, 2, TextFileRDD.DEFAULT_SPLIT_SIZE);
        assertEquals(List.of(32L << 20, 32L << 20, 32L << 20, 32L << 20, 32L << 20, 32L << 20, 8L << 20),
                plan.stream().map(FileSplit::length).toList(), "Hadoop's rule with 32 MB splits");
        // Splits handed out in order to whichever of two threads is free: the busier thread reads at
        // most 5% more than half the file (with 64 MB splits it would read 128 of 200 MB).
        long[] load = new long[2];
        for (FileSplit split : plan) {
            int freer = load[0] <= load[1] ? 0 : 1;
            load[freer] += split.length();
        }
        assertTrue(Math.max(load[0], load[1]) <= size / 2 * 105 / 100, "thread loads " + load[0] + " and " + load[1]);
    }

    @Test
    void whenSplitSizeIsConfigured_thenTextFileUsesIt() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            text.append("line ").append(i).append('\n');
        }
        Path file = Files.writeString(dir.resolve("big.txt"), text);
        long size = Files.size(file);
        try (KindlingContext kc = Kindling.builder().master("local[2]").config(TextFileRDD.SPLIT_SIZE, "1000").build()) {
            var rdd = kc.textFile(file.toString(), 1);
            long expectedSplits = 0;
            for (long remaining = size; remaining > 0; remaining -= 1000) {
                expectedSplits++;
                if ((double) remaining / 1000 <= 1.1) {
                    break;
                }
            }
            assertEquals(expectedSplits, rdd.getNumPartitions());
            assertEquals(referenceLines(text.toString().getBytes(StandardCharsets.UTF_8)), rdd.collect());
        }
    }

    @Test
    void whenALineIsLongerThanSeveralSplits_thenItIsReadOnceByTheSplitWhereItStarts(KindlingContext kc) throws IOException {
        String longLine = "x".repeat(300_000);
        String content = "first\n" + longLine + "\nlast";
        Path file = Files.writeString(dir.resolve("long.txt"), content);
        List<FileSplit> plan = TextFileRDD.plan(List.of(file), 1, 1000);
        assertTrue(plan.size() > 200);
        assertEquals(List.of("first", longLine, "last"), readAllSplits(plan));
        assertEquals(List.of("first", longLine, "last"), kc.textFile(file.toString(), 50).collect());
    }

    @Test
    void whenFileIsEmpty_thenItHasNoSplitAndNoLines(KindlingContext kc) throws IOException {
        Path file = Files.write(dir.resolve("empty.txt"), new byte[0]);
        var rdd = kc.textFile(file.toString(), 4);
        assertEquals(0, rdd.getNumPartitions());
        assertEquals(List.of(), rdd.collect());
    }

    @Test
    void gzipFilesAreReadWholeAsOneSplitIncludingConcatenatedMembers(KindlingContext kc) throws IOException {
        Path gz = dir.resolve("data.txt.gz");
        try (OutputStream out = Files.newOutputStream(gz)) {
            for (String member : new String[] {"a\nb\r\n", "c\rd"}) {
                GZIPOutputStream zip = new GZIPOutputStream(out);
                zip.write(member.getBytes(StandardCharsets.UTF_8));
                zip.finish();
            }
        }
        var rdd = kc.textFile(gz.toString(), 8);
        assertEquals(1, rdd.getNumPartitions());
        assertEquals(List.of("a", "b", "c", "d"), rdd.collect());
    }

    @Test
    void malformedUtf8IsReplacedNotFatal(KindlingContext kc) throws IOException {
        byte[] bytes = {'o', 'k', '\n', (byte) 0xFF, (byte) 0xC3, '\n', (byte) 0xE2, (byte) 0x82, '\n'};
        Path file = Files.write(dir.resolve("bad.txt"), bytes);
        assertEquals(List.of("ok", "\uFFFD\uFFFD", "\uFFFD"), kc.textFile(file.toString(), 3).collect());
    }
}
