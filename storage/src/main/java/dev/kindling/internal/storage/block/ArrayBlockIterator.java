package dev.kindling.internal.storage.block;

import java.util.NoSuchElementException;

/**
 * The iterator over an in-memory block's array: the hot path of every cached iteration. Besides
 * {@link #hasNext()}/{@link #next()}, a consumer that folds over the whole partition may read the
 * array itself ({@link #values()} from {@link #position()}) in a plain indexed loop, and report how
 * far it got with {@link #advanceTo(int)}: no iterator call per record.
 *
 * <p>{@code onDone} (the block manager's read pin) runs once, when the array is exhausted (through
 * {@code hasNext} or {@code advanceTo}) or the iterator closed, whichever comes first. Not thread
 * safe: one task reads it.
 */
public final class ArrayBlockIterator implements CloseableIterator<Object> {

    private final Object[] values;
    private final Runnable onDone;
    private int next;
    private boolean done;

    /** Iterates over {@code values}, running {@code onDone} once at the end or on close. */
    public ArrayBlockIterator(Object[] values, Runnable onDone) {
        this.values = values;
        this.onDone = onDone;
    }

    /** The block's own array (the cached objects, not a copy): read it, never modify it. */
    public Object[] values() {
        return values;
    }

    /** Index of the next element {@link #next()} would return. */
    public int position() {
        return next;
    }

    /**
     * Marks the elements before {@code position} as consumed, as if {@link #next()} had returned
     * them; reaching the end of the array releases the block like an exhausted iterator.
     *
     * @throws IllegalArgumentException if {@code position} is before {@link #position()} or past the end
     */
    public void advanceTo(int position) {
        if (position < next || position > values.length) {
            throw new IllegalArgumentException("advanceTo(" + position + "): position must be in ["
                    + next + ", " + values.length + "] (the current position and the block's length)");
        }
        next = position;
        if (next == values.length) {
            close();
        }
    }

    @Override
    public boolean hasNext() {
        if (next < values.length) {
            return true;
        }
        close();
        return false;
    }

    @Override
    public Object next() {
        if (next >= values.length) {
            throw new NoSuchElementException();
        }
        return values[next++];
    }

    @Override
    public void close() {
        if (!done) {
            done = true;
            onDone.run();
        }
    }
}
