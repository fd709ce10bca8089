package dev.kindling.storage.block;

import java.util.Iterator;

/**
 * An iterator over a block that may hold an open file: it closes itself when exhausted; call
 * {@link #close()} when stopping early (a task that ends before reading everything).
 */
public interface CloseableIterator<T> extends Iterator<T>, AutoCloseable {

    /** Releases the file or stream behind the iterator. Idempotent; never throws. */
    @Override
    void close();

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
