package dev.kindling.shell.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KeyFieldComparator} and {@link KeyFieldPartitioner}: the order of generated keys against
 * coreutils {@code LC_ALL=C sort} with the same {@code -t}/{@code -k} flags (on data that avoids
 * the cases where GNU sort and Hadoop legitimately differ), and those cases against Hadoop's own
 * rules.
 */
class KeyFieldComparatorTest {

    @TempDir
    Path dir;

    /** Lines of 3 key fields and a value: a word, a number (signs, fractions), a word; many ties. */
    private static List<String> generated(char separator, int n, long seed) {
        Random random = new Random(seed);
        String[] words = {"ant", "bee", "cat", "Dog", "eel", "ant", "emu", "zebra", "yak", "Ant"};
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder number = new StringBuilder();
            if (random.nextInt(3) == 0) {
                number.append('-');
            }
            // No leading zeros: Hadoop orders 05 before 5 where GNU sort finds them equal (tested below).
            number.append(random.nextInt(random.nextBoolean() ? 12 : 1200));
            if (random.nextInt(3) == 0) {
                number.append('.').append(random.nextInt(100));
            }
            lines.add(words[random.nextInt(words.length)] + separator + number + separator
                    + words[random.nextInt(words.length)] + separator + "v" + random.nextInt(50));
        }
        return lines;
    }

    /** Kindling's order of {@code lines} (3 key fields, then the value): comparator, then key bytes, then value bytes. */
    private static List<String> kindlingOrder(List<String> lines, String options, char separator) {
        KeyFieldComparator comparator = new KeyFieldComparator(KeyFieldSpecs.parse(options, String.valueOf(separator)));
        KeyFieldSplitter splitter = new KeyFieldSplitter(String.valueOf(separator), 3);
        List<StreamRecord> records = new ArrayList<>();
        for (String line : lines) {
            records.add(splitter.split(line.getBytes(StandardCharsets.UTF_8)));
        }
        Comparator<StreamRecord> order = (a, b) -> {
            int c = comparator.compare(a.line(), 0, a.keyLength(), b.line(), 0, b.keyLength());
            return c != 0 ? c : StreamRecord.ORDER.compare(a, b);
        };
        records.sort(order);
        // Back to the original separator between key and value.
        return records.stream().map(r -> {
            String s = r.toString();
            return s.substring(0, r.keyLength()) + separator + s.substring(r.keyLength() + 1);
        }).toList();
    }

    private List<String> gnuSort(List<String> lines, char separator, String flags) throws Exception {
        Path input = Files.write(dir.resolve("input.txt"), lines, StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of("sort", "-t", String.valueOf(separator)));
        command.addAll(Arrays.asList(flags.split(" ")));
        command.add(input.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("LC_ALL", "C");
        Process p = builder.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "sort " + flags);
        return new String(out, StandardCharsets.UTF_8).lines().toList();
    }

    /** Equal lists, or a failure showing the first difference in context. */
    private static void assertSameOrder(List<String> expected, List<String> actual, String flags) {
        assertEquals(expected.size(), actual.size(), flags);
        for (int i = 0; i < expected.size(); i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                int from = Math.max(0, i - 2);
                int to = Math.min(expected.size(), i + 3);
                throw new AssertionError("sort " + flags + ": first difference at line " + i + "\n  GNU sort: "
                        + expected.subList(from, to) + "\n  Kindling: " + actual.subList(from, to));
            }
        }
    }

    @Test
    void keyFieldOrderMatchesGnuSortOnGeneratedKeys() throws Exception {
        List<String> lines = generated('\t', 3000, 17);
        for (String flags : List.of("-k2,2nr -k1,1", "-k2,2n -k1,1", "-k1,1 -k2,2n", "-k1,1r -k3,3 -k2,2nr",
                "-k3,3 -k1,1r", "-k1.2,1.3 -k2,2n", "-k1.2,1.2r -k3.1,3.2 -k2,2n", "-k2,2", "-k1,2",
                "-n -k2,2 -k1,1r", "-k2,2nr")) {
            assertSameOrder(gnuSort(lines, '\t', flags), kindlingOrder(lines, flags, '\t'), flags);
        }
    }

    @Test
    void anotherSeparatorWorksTheSameWay() throws Exception {
        List<String> lines = generated(',', 2000, 5);
        for (String flags : List.of("-k2,2nr -k1,1", "-k3,3r -k2,2n")) {
            assertSameOrder(gnuSort(lines, ',', flags), kindlingOrder(lines, flags, ','), flags);
        }
    }

    private static int compare(String options, String a, String b) {
        KeyFieldComparator c = new KeyFieldComparator(KeyFieldSpecs.parse(options, "\t"));
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] y = b.getBytes(StandardCharsets.UTF_8);
        return Integer.signum(c.compare(x, 0, x.length, y, 0, y.length));
    }

    /** Where GNU sort and Hadoop differ, Hadoop's rule holds. */
    @Test
    void whereGnuSortDiffers_thenHadoopsRulesHold() {
        // GNU sort -n skips leading blanks (" 5" > "3"); Hadoop does not: " 5" has no leading digits, so it is smaller.
        assertEquals(-1, compare("-k1,1n", " 5", "3"));
        // GNU sort takes non-numbers as 0 (equal to "0"); Hadoop compares the count of digits after the zeros, then the
        // first bytes that differ (or, when the digits are all equal, the first bytes of the fields).
        assertEquals(1, compare("-k1,1n", "abc", "0"));
        assertEquals(-1, compare("-k1,1n", "05", "5"));
        assertEquals(0, compare("-k1,1n", "-05", "-5"));
        assertEquals(1, compare("-k1,1n", "b", "a"));
        // A missing field sorts first (GNU: an empty field, equal to another empty one), last with r.
        assertEquals(0, compare("-k2,2", "a", "a\t"));
        assertEquals(-1, compare("-k2,2", "z", "a\tb"));
        assertEquals(1, compare("-k2,2r", "z", "a\tb"));
        assertEquals(0, compare("-k3,3", "a", "b"));
        // Without an end field, the key runs to the end of the key (GNU: of the line).
        assertEquals(1, compare("-k2", "x\t5\tb", "x\t5\ta"));
        // A start character past the field's end runs on into the next field (GNU: an empty key).
        assertEquals(-1, compare("-k1.4,1.4r", "ab\tb", "ab\ta"));
        // -0 equals 0, leading zeros and trailing fraction zeros do not count.
        assertEquals(0, compare("-k1,1n", "-0", "0"));
        assertEquals(0, compare("-k1,1n", "007.50", "7.5"));
        assertEquals(-1, compare("-k1,1n", "-10", "-9.99"));
        assertEquals(1, compare("-k1,1n", "10", "9.99"));
        // Global flags apply only to keys without flags of their own; other words are ignored, as by Hadoop.
        assertEquals(-1, compare("-nr -k1,1 -k2,2", "10\ta", "9\tb"));
        assertEquals(1, compare("-r -k1,1n", "10", "9"));
        assertEquals(List.of("-t,", "-s"), KeyFieldSpecs.parse("-t, -k1,1 -s", "\t").ignored());
        assertEquals(1, compare("", "b", "a"));
    }

    @Test
    void malformedKeySpecificationsAreRejectedWithTheRule() {
        for (String bad : List.of("-kx", "-k1,", "-k1,2q", "-k0,1", "-k1.0", "-k1.", "-k1,2.x")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyFieldSpecs.parse(bad, "\t"), bad);
            assertTrue(e.getMessage().contains("-k pos1[,pos2]"), e.getMessage());
        }
    }

    /** Hadoop's KeyFieldBasedPartitioner hash, written out: h = 31 * h + b over the selected bytes, from 0. */
    private static int expectedPartition(String key, int from, int to, int reducers) {
        int h = 0;
        byte[] b = key.getBytes(StandardCharsets.UTF_8);
        for (int i = from; i < to; i++) {
            h = 31 * h + b[i];
        }
        return (h & Integer.MAX_VALUE) % reducers;
    }

    private static int partition(String options, String key, int reducers) {
        KeyFieldPartitioner p = new KeyFieldPartitioner(KeyFieldSpecs.parse(options, "\t"));
        byte[] b = key.getBytes(StandardCharsets.UTF_8);
        return p.partition(b, 0, b.length, reducers);
    }

    @Test
    void partitionerHashesTheSelectedFieldBytesLikeHadoop() {
        Random random = new Random(9);
        for (int i = 0; i < 2000; i++) {
            String f1 = Long.toString(random.nextLong() & 0xffffffL, 36) + (i % 7 == 0 ? "é" : "");
            String key = f1 + "\t" + random.nextInt(1000);
            int reducers = 1 + random.nextInt(13);
            assertEquals(expectedPartition(key, 0, f1.getBytes(StandardCharsets.UTF_8).length, reducers),
                    partition("-k1,1", key, reducers), key);
            assertEquals(expectedPartition(key, 0, key.getBytes(StandardCharsets.UTF_8).length, reducers),
                    partition("-k1,2", key, reducers), key);
            // Without options: Java's String.hashCode of the whole key.
            assertEquals((key.hashCode() & Integer.MAX_VALUE) % reducers, partition(null, key, reducers), key);
        }
        assertEquals(0, partition("-k1,1", "", 7));
        // A missing field adds nothing: the hash of field 1 alone.
        assertEquals(expectedPartition("abc", 0, 3, 11), partition("-k1,1 -k3,3", "abc\tx", 11));
        // The deprecated num.key.fields.for.partition=n is -k1,n.
        KeyFieldPartitioner firstTwo = new KeyFieldPartitioner(KeyFieldSpecs.firstFields(2, "\t"));
        byte[] threeFields = "ab\tc\td".getBytes(StandardCharsets.UTF_8);
        assertEquals(expectedPartition("ab\tc", 0, 4, 1000), firstTwo.partition(threeFields, 0, threeFields.length, 1000));
        // Bytes that are not UTF-8 are hashed as Hadoop's Text.toString() makes them (U+FFFD).
        KeyFieldPartitioner p = new KeyFieldPartitioner(KeyFieldSpecs.parse("-k1,1", "\t"));
        byte[] invalid = {'a', (byte) 0xff, '\t', 'b'};
        assertEquals(expectedPartition("a\uFFFD", 0, 4, 1000), p.partition(invalid, 0, invalid.length, 1000));
    }
}
