package dev.kindling;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Collects the values added into a list (in no particular order across tasks). Create it with
 * {@link KindlingContext#collectionAccumulator()}. See {@link AccumulatorV2} for when updates
 * count. Everything added must fit in the driver's memory.
 *
 * @param <T> element type
 */
public class CollectionAccumulator<T> extends AccumulatorV2<T, List<T>> {

    private static final long serialVersionUID = 1L;

    private ArrayList<T> values = new ArrayList<>();

    /** An unregistered, empty accumulator; register it with {@link KindlingContext#register}. */
    public CollectionAccumulator() {
    }

    @Override
    public synchronized boolean isZero() {
        return values.isEmpty();
    }

    @Override
    public synchronized CollectionAccumulator<T> copy() {
        CollectionAccumulator<T> c = new CollectionAccumulator<>();
        c.values = new ArrayList<>(values);
        return c;
    }

    @Override
    public synchronized void reset() {
        values = new ArrayList<>();
    }

    /** Adds {@code v}: to the task's copy inside a task, to the driver's list on the driver. */
    @Override
    public void add(T v) {
        if (isDriverSide()) {
            AccumulatorV2<T, List<T>> task = taskCopy();
            if (task != null) {
                task.add(v);
                return;
            }
            synchronized (this) {
                values.add(v);
            }
        } else {
            values.add(v);
        }
    }

    @Override
    public void merge(AccumulatorV2<T, List<T>> other) {
        if (!(other instanceof CollectionAccumulator<T> o)) {
            throw new UnsupportedOperationException("Cannot merge " + getClass().getSimpleName() + " with "
                    + (other == null ? "null" : other.getClass().getName()));
        }
        List<T> incoming;
        synchronized (o) {
            incoming = new ArrayList<>(o.values);
        }
        synchronized (this) {
            values.addAll(incoming);
        }
    }

    /** An unmodifiable snapshot of the values added so far. */
    @Override
    public synchronized List<T> value() {
        return Collections.unmodifiableList(new ArrayList<>(values));
    }
}
