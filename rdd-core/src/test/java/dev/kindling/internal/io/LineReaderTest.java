package dev.kindling.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link LineReader} against {@link TextInputSplitTest#referenceLines} when its input arrives in
 * pieces of any size, so that terminators ({@code \r\n} included) and long lines straddle refills.
 */
class LineReaderTest {

    /** Hands out at most a random 1..maxChunk bytes per read. */
    private static InputStream chunked(byte[] content, int maxChunk, long seed) {
        Random random = new Random(seed);
        return new ByteArrayInputStream(content) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + random.nextInt(maxChunk)));
            }
        };
    }

    private static List<String> readAll(LineReader reader, int[] consumedTotal) throws IOException {
        List<String> lines = new ArrayList<>();
        int n;
        while ((n = reader.readLine()) > 0) {
            consumedTotal[0] += n;
            lines.add(new String(reader.line(), 0, reader.lineLength(), StandardCharsets.ISO_8859_1));
        }
        return lines;
    }

    @Test
    void whenInputArrivesInPiecesOfAnySize_thenLinesAndConsumedBytesMatchTheReference() throws IOException {
        Random random = new Random(11);
        byte[] alphabet = {'a', 'b', '\r', '\n', (byte) 0xC3, ' '};
        for (int file = 0; file < 200; file++) {
            byte[] content = new byte[random.nextInt(3000)];
            for (int i = 0; i < content.length; i++) {
                content[i] = random.nextInt(10) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) 'x';
            }
            for (int maxChunk : new int[] {1, 2, 7, 100, 1 << 20}) {
                int[] consumed = {0};
                try (LineReader reader = new LineReader(chunked(content, maxChunk, file))) {
                    assertEquals(TextInputSplitTest.referenceLines(content), readAll(reader, consumed),
                            "file " + file + ", chunks up to " + maxChunk);
                }
                assertEquals(content.length, consumed[0], "bytes consumed, file " + file);
            }
        }
    }

    @Test
    void whenALineIsLongerThanTheBuffer_thenItComesBackWhole() throws IOException {
        String longLine = "y".repeat(200_000);
        byte[] content = ("a\r\n" + longLine + "\r\n\rb").getBytes(StandardCharsets.ISO_8859_1);
        int[] consumed = {0};
        try (LineReader reader = new LineReader(chunked(content, 70_000, 3))) {
            assertEquals(List.of("a", longLine, "", "b"), readAll(reader, consumed));
        }
        assertEquals(content.length, consumed[0]);
    }
}
