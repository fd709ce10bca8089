package dev.kindling.internal.network;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The bytes of a block a {@link BlockSource} serves: a segment of a file (sent with zero-copy
 * {@code FileRegion}s) or a buffer in memory.
 */
public sealed interface BlockData {

    /** Length of the block in bytes. */
    long size();

    /**
     * {@code length} bytes of {@code file} from {@code offset}, such as one reduce partition of a shuffle file.
     *
     * @param file   the file
     * @param offset where the block starts in it
     * @param length its length
     */
    record FileSegment(Path file, long offset, long length) implements BlockData {
        /** Checks that offset and length are not negative. */
        public FileSegment {
            if (offset < 0 || length < 0) {
                throw new IllegalArgumentException("A file segment needs offset >= 0 and length >= 0 (got offset "
                        + offset + ", length " + length + " of " + file + ")");
            }
        }

        @Override
        public long size() {
            return length;
        }
    }

    /**
     * A block held in memory; its position and limit mark the bytes (the buffer is not modified).
     *
     * @param buffer the block's bytes
     */
    record InMemory(ByteBuffer buffer) implements BlockData {
        @Override
        public long size() {
            return buffer.remaining();
        }
    }
}
