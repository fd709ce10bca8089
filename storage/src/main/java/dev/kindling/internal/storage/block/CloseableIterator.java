package dev.kindling.internal.storage.block;

import dev.kindling.internal.storage.serializer.RecordReader;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An iterator over a block that may hold an open file: it closes itself when exhausted; call
 * {@link #close()} when stopping early (a task that ends before reading everything).
 */
public interface CloseableIterator<T> extends Iterator<T>, AutoCloseable {

    /** Releases the file or stream behind the iterator. Idempotent; never throws. */
    @Override
    void close();

    /**
     * Streams the objects of a Kryo record stream to its end; the reader is closed when the
     * iterator is exhausted or {@link #close()}d, whichever comes first.
     */
    static CloseableIterator<Object> reading(RecordReader reader) {
        return new CloseableIterator<>() {
            private Boolean more;

            @Override
            public boolean hasNext() {
                if (more == null) {
                    more = reader.hasMore();
                    if (!more) {
                        reader.close();
                    }
                }
                return more;
            }

            @Override
            public Object next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                more = null;
                return reader.read();
            }

            @Override
            public void close() {
                reader.close();
            }
        };
    }

    /**
     * Iterates over an in-memory block's array directly (the hot path of every cached
     * iteration: one object between the task and the array, not two).
     */
    static CloseableIterator<Object> ofArray(Object[] values) {
        return new ArrayBlockIterator(values, () -> { });
    }

    /**
     * Iterates over an in-memory block's array like {@link #ofArray(Object[])} and runs
     * {@code onDone} once, when the array is exhausted or the iterator closed, whichever comes first
     * (the block manager's read pin). Exhaustion costs one branch per {@code hasNext}; a fold may
     * also loop over the array itself (see {@link ArrayBlockIterator}).
     */
    static CloseableIterator<Object> ofArray(Object[] values, Runnable onDone) {
        return new ArrayBlockIterator(values, onDone);
    }

    /**
     * Wraps {@code it} so that {@code onDone} runs once, after {@code it} is exhausted or when the
     * wrapper is closed (which closes {@code it} first).
     */
    static <T> CloseableIterator<T> onDone(CloseableIterator<T> it, Runnable onDone) {
        return new CloseableIterator<>() {
            private boolean done;

            @Override
            public boolean hasNext() {
                if (it.hasNext()) {
                    return true;
                }
                close();
                return false;
            }

            @Override
            public T next() {
                return it.next();
            }

            @Override
            public void close() {
                if (!done) {
                    done = true;
                    try {
                        it.close();
                    } finally {
                        onDone.run();
                    }
                }
            }
        };
    }

    /** Wraps an in-memory iterator, which holds nothing to close. */
    static <T> CloseableIterator<T> of(Iterator<T> it) {
        return new CloseableIterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public T next() {
                return it.next();
            }

            @Override
            public void close() {
            }
        };
    }
}
