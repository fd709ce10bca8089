package dev.kindling.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link LineReader#readLineInPlace()} against a hand-written reference split of the same bytes
 * on {@code \n}, {@code \r} and {@code \r\n}, read through streams that return few bytes at a time
 * so that lines and {@code \r\n} pairs straddle buffer fills.
 */
class LineReaderInPlaceTest {

    /** The reference: lines and the bytes each consumed, split by a plain loop. */
    private static List<String> reference(byte[] data) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < data.length) {
            if (data[i] == '\n' || data[i] == '\r') {
                int consumed = i + 1 < data.length && data[i] == '\r' && data[i + 1] == '\n' ? 2 : 1;
                lines.add(new String(data, start, i - start, StandardCharsets.ISO_8859_1) + "|" + (i - start + consumed));
                i += consumed;
                start = i;
            } else {
                i++;
            }
        }
        if (start < data.length) {
            lines.add(new String(data, start, data.length - start, StandardCharsets.ISO_8859_1) + "|" + (data.length - start));
        }
        return lines;
    }

    private static List<String> readInPlace(byte[] data, int chunk) throws IOException {
        List<String> lines = new ArrayList<>();
        try (LineReader reader = new LineReader(new ChunkedInputStream(data, chunk))) {
            int consumed;
            while ((consumed = reader.readLineInPlace()) > 0) {
                lines.add(new String(reader.lineArray(), reader.lineStart(), reader.lineLength(), StandardCharsets.ISO_8859_1)
                        + "|" + consumed);
            }
        }
        return lines;
    }

    @Test
    void linesReadInPlaceEqualAPlainSplitWhereverTheReadsEnd() throws IOException {
        Random random = new Random(17);
        byte[] alphabet = {'a', 'b', '\t', '\n', '\r', (byte) 0xc3};
        for (int round = 0; round < 20; round++) {
            // Up to 200 KB, so lines also straddle the reader's 64 KiB buffer; some lines are longer than it.
            byte[] data = new byte[random.nextInt(round < 10 ? 300 : 200_000)];
            for (int i = 0; i < data.length; i++) {
                data[i] = round % 5 == 4 && random.nextInt(100_000) != 0 ? (byte) 'x' : alphabet[random.nextInt(alphabet.length)];
            }
            for (int chunk : new int[] {1, 2, 3, 1000, 1 << 20}) {
                assertEquals(reference(data), readInPlace(data, chunk), "round " + round + ", chunk " + chunk);
            }
        }
    }
}
