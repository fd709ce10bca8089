package dev.kindling.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CoalescingInputStreamTest {

    @Test
    void everyByteArrivesInOrderWhateverTheReadSizes() throws IOException {
        for (int chunk : new int[] {1, 7, 4096, 100_000}) {
            // Every short read pauses 1 ms: a few thousand of them are enough to test tiny chunks.
            byte[] data = new byte[chunk < 100 ? 3_000 : 50_000];
            new Random(7).nextBytes(data);
            try (InputStream in = new CoalescingInputStream(new ChunkedInputStream(data, chunk))) {
                assertArrayEquals(data, in.readAllBytes(), "chunk " + chunk);
            }
        }
    }

    @Test
    void linesReadThroughItEqualTheLinesWritten() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String line = "word" + i + "\t" + (i * 31 % 17);
            expected.add(line);
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        List<String> got = new ArrayList<>();
        try (LineReader reader = new LineReader(new CoalescingInputStream(new ChunkedInputStream(out.toByteArray(), 9)))) {
            while (reader.readLine() > 0) {
                got.add(new String(reader.line(), 0, reader.lineLength(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(expected, got);
    }
}
