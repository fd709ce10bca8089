package dev.kindling.shell.streaming;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kindling.internal.io.ByteSlice;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link BlockSorter} against a reference: the same records as separate key and value arrays,
 * sorted with {@code Arrays.compareUnsigned} on the key, then on the value.
 */
class BlockSorterTest {

    /** One record of the reference: key and value bytes. */
    private record Rec(byte[] key, byte[] value) {
        byte[] line() {
            byte[] line = Arrays.copyOf(key, key.length + 1 + value.length);
            line[key.length] = '\t';
            System.arraycopy(value, 0, line, key.length + 1, value.length);
            return line;
        }
    }

    private static final Comparator<Rec> REFERENCE = (a, b) -> {
        int c = Arrays.compareUnsigned(a.key, b.key);
        return c != 0 ? c : Arrays.compareUnsigned(a.value, b.value);
    };

    private static byte[] randomBytes(Random random, int maxLength) {
        // Few byte values, so that keys share prefixes and repeat; 0 and bytes >= 0x80 included.
        byte[] alphabet = {0, 1, 'a', 'b', 'z', (byte) 0x7f, (byte) 0x80, (byte) 0xc3, (byte) 0xff};
        byte[] b = new byte[random.nextInt(maxLength + 1)];
        for (int i = 0; i < b.length; i++) {
            b[i] = alphabet[random.nextInt(alphabet.length)];
        }
        return b;
    }

    /** Packs the records into {@code blocks} blocks, round robin, as map tasks would. */
    private static List<RecordBlock> pack(List<Rec> records, int blocks) {
        List<RecordBlock> out = new ArrayList<>();
        for (int b = 0; b < blocks; b++) {
            out.add(new RecordBlock());
        }
        for (int i = 0; i < records.size(); i++) {
            Rec r = records.get(i);
            out.get(i % blocks).add(r.key, 0, r.key.length, r.value, 0, r.value.length);
        }
        return out;
    }

    private static void assertSortsLikeTheReference(List<Rec> records, int blocks) throws IOException {
        List<Rec> expected = new ArrayList<>(records);
        expected.sort(REFERENCE);
        Set<String> keys = new HashSet<>();
        ByteArrayOutputStream expectedBytes = new ByteArrayOutputStream();
        for (Rec r : expected) {
            keys.add(Arrays.toString(r.key));
            expectedBytes.write(r.line());
            expectedBytes.write('\n');
        }

        BlockSorter sorter = BlockSorter.of(pack(records, blocks));
        assertEquals(records.size(), sorter.records());
        assertEquals(keys.size(), sorter.groups());
        Iterator<ByteSlice> lines = sorter.sorted();
        for (Rec r : expected) {
            ByteSlice s = lines.next();
            assertArrayEquals(r.line(), Arrays.copyOfRange(s.array(), s.offset(), s.offset() + s.length()));
        }
        assertEquals(false, lines.hasNext());

        ByteArrayOutputStream written = new ByteArrayOutputStream();
        BlockSorter.of(pack(records, blocks)).writeTo(written);
        assertArrayEquals(expectedBytes.toByteArray(), written.toByteArray());
    }

    @Test
    void randomRecordsComeOutInUnsignedKeyThenValueOrder() throws IOException {
        Random random = new Random(11);
        for (int round = 0; round < 40; round++) {
            List<Rec> records = new ArrayList<>();
            int n = random.nextInt(round < 10 ? 50 : 5000);
            // Some rounds give every key the same 12-byte start, so keys and lines straddle 16 bytes.
            byte[] common = round % 2 == 0 ? new byte[0] : "0123456789ab".getBytes();
            for (int i = 0; i < n; i++) {
                byte[] key = randomBytes(random, 6);
                byte[] longKey = Arrays.copyOf(common, common.length + key.length);
                System.arraycopy(key, 0, longKey, common.length, key.length);
                records.add(new Rec(longKey, randomBytes(random, round % 3 == 0 ? 0 : round % 3 == 1 ? 3 : 12)));
            }
            assertSortsLikeTheReference(records, 1 + random.nextInt(4));
        }
    }

    @Test
    void whenEveryRecordOfAKeyIsTheSameLine_thenItIsRepeatedOncePerRecord() throws IOException {
        // Word count's shape: many distinct keys (the hash table grows), each with identical "1" values,
        // and a few keys whose values differ only late or only in length.
        Random random = new Random(5);
        List<Rec> records = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            int word = (int) Math.pow(3000, random.nextDouble());
            records.add(new Rec(Integer.toString(word, 36).getBytes(), new byte[] {'1'}));
        }
        records.add(new Rec("mixed".getBytes(), "1111".getBytes()));
        records.add(new Rec("mixed".getBytes(), "1112".getBytes()));
        records.add(new Rec("mixed".getBytes(), "111".getBytes()));
        records.add(new Rec("mixed".getBytes(), "1111".getBytes()));
        records.add(new Rec("0".getBytes(), new byte[0]));
        records.add(new Rec("0".getBytes(), new byte[0]));
        assertSortsLikeTheReference(records, 3);
    }

    @Test
    void linesLongerThanTheWriteBufferAndEmptyInputAreWrittenWhole() throws IOException {
        Random random = new Random(9);
        List<Rec> records = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            byte[] value = new byte[40_000 + random.nextInt(60_000)];
            random.nextBytes(value);
            records.add(new Rec(new byte[] {(byte) ('a' + i % 2)}, value));
            records.add(new Rec(new byte[] {'s'}, new byte[] {'x'}));
        }
        assertSortsLikeTheReference(records, 2);
        assertSortsLikeTheReference(List.of(), 1);
        assertSortsLikeTheReference(List.of(), 0);
    }

    @Test
    void radixSortOrdersItemsByUnsignedKeyKeepingEqualKeysInOrder() {
        Random random = new Random(13);
        for (int n : new int[] {0, 1, 2, 100, 5000}) {
            int[] keys = new int[n];
            for (int i = 0; i < n; i++) {
                // Few distinct keys, negative ones included (unsigned order puts them last); some rounds share high bytes.
                keys[i] = n == 100 ? 0x7f000000 | random.nextInt(300) : random.nextInt(50) * 0x01010101 * (random.nextBoolean() ? -1 : 1);
            }
            int[] items = new int[n];
            for (int i = 0; i < n; i++) {
                items[i] = i;
            }
            Integer[] expected = new Integer[n];
            for (int i = 0; i < n; i++) {
                expected[i] = i;
            }
            Arrays.sort(expected, (a, b) -> Integer.compareUnsigned(keys[a], keys[b]));
            assertArrayEquals(Arrays.stream(expected).mapToInt(Integer::intValue).toArray(), BlockSorter.radixSort(items, keys));
        }
    }
}
