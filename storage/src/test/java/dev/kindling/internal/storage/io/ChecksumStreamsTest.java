package dev.kindling.internal.storage.io;

import dev.kindling.storage.CorruptFileException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The checksummed framing of scratch files: what is written reads back byte for byte, whatever the
 * write sizes; a flipped byte anywhere, or a cut anywhere, is reported before any byte of the
 * damaged frame is returned, with the frame's offset.
 */
class ChecksumStreamsTest {

    private static final Path FILE = Path.of("/scratch/test.kryo");

    /** Writes {@code data} in chunks of the given sizes (cycled), flushing after each chunk when asked. */
    private static byte[] frame(byte[] data, int[] chunks, boolean flushEachChunk) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ChecksumOutputStream out = new ChecksumOutputStream(bytes)) {
            int at = 0;
            for (int i = 0; at < data.length; i++) {
                int n = Math.min(chunks[i % chunks.length], data.length - at);
                if (n == 1) {
                    out.write(data[at]);
                } else {
                    out.write(data, at, n);
                }
                at += n;
                if (flushEachChunk) {
                    out.flush();
                }
            }
        }
        return bytes.toByteArray();
    }

    private static ChecksumInputStream reader(byte[] framed, long start, long length) {
        InputStream in = new ByteArrayInputStream(framed, (int) start, framed.length - (int) start);
        return new ChecksumInputStream(in, "test file", FILE, start, length);
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void whatIsWrittenReadsBackExactly_forAnyChunkingAndSize() throws IOException {
        int[][] chunkings = {{1}, {7, 1, 300}, {65_536}, {65_537, 3}, {200_000}, {65_535, 65_536, 1}};
        for (int size : new int[] {0, 1, 65_535, 65_536, 65_537, 300_001}) {
            byte[] data = random(size, size);
            for (int[] chunks : chunkings) {
                byte[] framed = frame(data, chunks, false);
                int frames = (size + ChecksumOutputStream.FRAME_BYTES - 1) / ChecksumOutputStream.FRAME_BYTES;
                assertEquals(size + frames * ChecksumOutputStream.HEADER_BYTES, framed.length,
                        "full 64 KiB frames, 8 header bytes each, for size " + size + " chunks " + Arrays.toString(chunks));
                try (ChecksumInputStream in = reader(framed, 0, ChecksumInputStream.TO_END)) {
                    assertArrayEquals(data, in.readAllBytes());
                }
                try (ChecksumInputStream in = reader(framed, 0, framed.length)) {
                    assertArrayEquals(data, in.readAllBytes());
                }
            }
        }
    }

    @Test
    void aSegmentReadStopsAtItsLength_evenWhenOtherSegmentsFollow() throws IOException {
        byte[] first = random(70_000, 1);
        byte[] second = random(5_000, 2);
        byte[] a = frame(first, new int[] {4096}, false);
        byte[] b = frame(second, new int[] {4096}, false);
        byte[] file = new byte[a.length + b.length];
        System.arraycopy(a, 0, file, 0, a.length);
        System.arraycopy(b, 0, file, a.length, b.length);
        try (ChecksumInputStream in = reader(file, 0, a.length)) {
            assertArrayEquals(first, in.readAllBytes());
        }
        try (ChecksumInputStream in = reader(file, a.length, b.length)) {
            assertArrayEquals(second, in.readAllBytes());
        }
    }

    @Test
    void everyFlippedByteIsDetected_withTheOffsetOfItsFrame() throws IOException {
        byte[] data = random(1000, 3);
        byte[] framed = frame(data, new int[] {300}, true); // frames of 300, 300, 300, 100 bytes
        long[] frameStarts = {0, 308, 616, 924};
        for (int i = 0; i < framed.length; i++) {
            byte[] damaged = framed.clone();
            damaged[i] ^= 0x10;
            long expectedFrame = 0;
            for (long s : frameStarts) {
                if (i >= s) {
                    expectedFrame = s;
                }
            }
            for (long length : new long[] {ChecksumInputStream.TO_END, framed.length}) {
                ByteArrayOutputStream good = new ByteArrayOutputStream();
                CorruptFileException e = assertThrows(CorruptFileException.class, () -> {
                    try (ChecksumInputStream in = reader(damaged, 0, length)) {
                        in.transferTo(good);
                    }
                }, "flipped byte " + i);
                assertEquals(expectedFrame, e.offset(), "flipped byte " + i);
                assertEquals(FILE, e.file());
                assertTrue(e.getMessage().contains("test file " + FILE + " at byte offset " + expectedFrame), e.getMessage());
                byte[] delivered = good.toByteArray();
                assertArrayEquals(Arrays.copyOf(data, delivered.length), delivered,
                        "only bytes of intact frames before the damage are returned");
                assertEquals(expectedFrame / 308 * 300, delivered.length, "flipped byte " + i);
            }
        }
    }

    @Test
    void aCutAnywhereIsDetectedWhenTheLengthIsKnown_andInsideAFrameAlways() throws IOException {
        byte[] data = random(1000, 4);
        byte[] framed = frame(data, new int[] {300}, true);
        for (int cut = 0; cut < framed.length; cut++) {
            byte[] truncated = Arrays.copyOf(framed, cut);
            assertThrows(CorruptFileException.class, () -> {
                try (ChecksumInputStream in = new ChecksumInputStream(new ByteArrayInputStream(truncated), "test file",
                        FILE, 0, framed.length)) {
                    in.readAllBytes();
                }
            }, "cut at " + cut);
            boolean atFrameBoundary = cut == 0 || cut == 308 || cut == 616 || cut == 924;
            if (!atFrameBoundary) {
                assertThrows(CorruptFileException.class, () -> {
                    try (ChecksumInputStream in = reader(truncated, 0, ChecksumInputStream.TO_END)) {
                        in.readAllBytes();
                    }
                }, "cut at " + cut);
            }
        }
    }
}
