package dev.kindling.internal.io;

import dev.kindling.internal.scheduler.TaskMetric;
import dev.kindling.scheduler.TaskContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A task's view of one text split, whatever file system it comes from: the lines a
 * {@link SplitLineReader} owns, decoded; input bytes and records recorded once when the task
 * completes (not per line), and the reader closed then.
 */
public final class SplitLines {

    private SplitLines() {
    }

    /** The split's lines as UTF-8 strings (malformed bytes become U+FFFD). */
    public static Iterator<String> strings(SplitLineReader reader, FileSplit split, TaskContext task) {
        return read(reader, split, SplitLines::utf8, task);
    }

    /** A line's bytes as a string, malformed UTF-8 replaced by U+FFFD. */
    public static String utf8(byte[] bytes, int offset, int length) {
        return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }

    /** A line's bytes, copied out of the reader's buffer (the element of a raw text file). */
    public static byte[] copy(byte[] bytes, int offset, int length) {
        return Arrays.copyOfRange(bytes, offset, offset + length);
    }

    /** The split's lines, each decoded by {@code decoder}. */
    public static <T> Iterator<T> read(SplitLineReader reader, FileSplit split, TextFileRDD.Decoder<T> decoder,
                                TaskContext task) {
        long[] records = new long[1];
        task.addCompletionListener(() -> {
            TaskMetric.INPUT_BYTES.record(task, reader.bytesRead());
            TaskMetric.INPUT_RECORDS.record(task, records[0]);
            try {
                reader.close();
            } catch (IOException ignored) {
                // Closing a read-only file cannot lose data.
            }
        });
        return new Iterator<>() {
            private T next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                if (done) {
                    return false;
                }
                try {
                    if (!reader.next()) {
                        done = true;
                        return false;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("Error reading input file " + split.path() + ": " + e.getMessage(), e);
                }
                next = decoder.decode(reader.bytes(), reader.offset(), reader.length());
                records[0]++;
                return true;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                T line = next;
                next = null;
                return line;
            }
        };
    }
}
