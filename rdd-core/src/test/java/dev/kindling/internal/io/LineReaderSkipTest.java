package dev.kindling.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link LineReader#skipLine()} consumes exactly what {@link LineReader#readLine()} would, for every
 * terminator, without copying the skipped line (a split reader skips the partial line it does not
 * own, which may be the rest of a huge single-line file).
 */
class LineReaderSkipTest {

    @Test
    void skippingConsumesWhatReadingWouldAndKeepsNothing() throws Exception {
        String huge = "x".repeat(3 * 64 * 1024 + 17);
        for (String text : List.of(huge + "\nnext\n", huge + "\r\nnext", huge + "\rnext\r", "\nnext", huge, "")) {
            byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            LineReader reading = new LineReader(new ByteArrayInputStream(bytes));
            LineReader skipping = new LineReader(new ByteArrayInputStream(bytes));
            int read = reading.readLine();

            assertEquals(read, skipping.skipLine(), "bytes consumed for " + text.length() + " chars");
            assertTrue(skipping.line().length <= 256, "the skipped line was not copied");
            int nextRead = reading.readLine();
            assertEquals(nextRead, skipping.readLine());
            assertEquals(new String(reading.line(), 0, reading.lineLength(), StandardCharsets.US_ASCII),
                    new String(skipping.line(), 0, skipping.lineLength(), StandardCharsets.US_ASCII));
        }
    }
}
