package dev.kindling;

/**
 * Counts and sums longs: {@link #sum()}, {@link #count()} (how many values were added) and
 * {@link #avg()}. Create it with {@link KindlingContext#longAccumulator()}. See
 * {@link AccumulatorV2} for when updates count.
 */
public class LongAccumulator extends AccumulatorV2<Long, Long> {

    private static final long serialVersionUID = 1L;

    private long sum;
    private long count;

    /** An unregistered accumulator at zero; register it with {@link KindlingContext#register}. */
    public LongAccumulator() {
    }

    @Override
    public synchronized boolean isZero() {
        return sum == 0 && count == 0;
    }

    @Override
    public synchronized LongAccumulator copy() {
        LongAccumulator c = new LongAccumulator();
        c.sum = sum;
        c.count = count;
        return c;
    }

    @Override
    public synchronized void reset() {
        sum = 0;
        count = 0;
    }

    @Override
    public void add(Long v) {
        add(v.longValue());
    }

    /** Adds {@code v}: to the task's copy inside a task, to the driver's value on the driver. */
    public void add(long v) {
        if (isDriverSide()) {
            AccumulatorV2<Long, Long> task = taskCopy();
            if (task != null) {
                ((LongAccumulator) task).add(v);
                return;
            }
            synchronized (this) {
                sum += v;
                count++;
            }
        } else {
            sum += v;
            count++;
        }
    }

    @Override
    public void merge(AccumulatorV2<Long, Long> other) {
        if (!(other instanceof LongAccumulator o)) {
            throw new UnsupportedOperationException("Cannot merge " + getClass().getSimpleName() + " with "
                    + (other == null ? "null" : other.getClass().getName()));
        }
        long s;
        long n;
        synchronized (o) {
            s = o.sum;
            n = o.count;
        }
        synchronized (this) {
            sum += s;
            count += n;
        }
    }

    /** The sum of the values added. */
    public synchronized long sum() {
        return sum;
    }

    /** How many values were added. */
    public synchronized long count() {
        return count;
    }

    /** The mean of the values added; NaN when none were. */
    public synchronized double avg() {
        return (double) sum / count;
    }

    /** The sum of the values added. */
    @Override
    public Long value() {
        return sum();
    }
}
