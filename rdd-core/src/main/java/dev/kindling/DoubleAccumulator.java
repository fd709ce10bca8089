package dev.kindling;

/**
 * Sums doubles: {@link #sum()}, {@link #count()} (how many values were added) and {@link #avg()}.
 * Create it with {@link KindlingContext#doubleAccumulator()}. See {@link AccumulatorV2} for when
 * updates count. Sums are in floating point, so their last digits may depend on the order in
 * which partitions finish.
 */
public class DoubleAccumulator extends AccumulatorV2<Double, Double> {

    private static final long serialVersionUID = 1L;

    private double sum;
    private long count;

    /** An unregistered accumulator at zero; register it with {@link KindlingContext#register}. */
    public DoubleAccumulator() {
    }

    @Override
    public synchronized boolean isZero() {
        return sum == 0.0 && count == 0;
    }

    @Override
    public synchronized DoubleAccumulator copy() {
        DoubleAccumulator c = new DoubleAccumulator();
        c.sum = sum;
        c.count = count;
        return c;
    }

    @Override
    public synchronized void reset() {
        sum = 0.0;
        count = 0;
    }

    @Override
    public void add(Double v) {
        add(v.doubleValue());
    }

    /** Adds {@code v}: to the task's copy inside a task, to the driver's value on the driver. */
    public void add(double v) {
        if (isDriverSide()) {
            AccumulatorV2<Double, Double> task = taskCopy();
            if (task != null) {
                ((DoubleAccumulator) task).add(v);
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
    public void merge(AccumulatorV2<Double, Double> other) {
        if (!(other instanceof DoubleAccumulator o)) {
            throw new UnsupportedOperationException("Cannot merge " + getClass().getSimpleName() + " with "
                    + (other == null ? "null" : other.getClass().getName()));
        }
        double s;
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
    public synchronized double sum() {
        return sum;
    }

    /** How many values were added. */
    public synchronized long count() {
        return count;
    }

    /** The mean of the values added; NaN when none were. */
    public synchronized double avg() {
        return sum / count;
    }

    /** The sum of the values added. */
    @Override
    public Double value() {
        return sum();
    }
}
