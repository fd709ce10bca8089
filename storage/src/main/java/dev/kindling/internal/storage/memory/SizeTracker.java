package dev.kindling.internal.storage.memory;

/**
 * Keeps a running estimate of the bytes a growing collection holds without sizing every record:
 * the first 32 records are sized one by one, then one in every 64 or every 1/64th of the records
 * so far, whichever is further apart (about 64 samples more each time the count grows by a factor
 * of e). Each sample stands for the records since the one before it, so the average is weighted
 * by those counts (records that grow or shrink along the input are not averaged as if the early
 * ones were most of them), and it is multiplied by the record count. Confined to one thread.
 *
 * <p>The interval grows so that sizing stays rare: a million cached records were sized 15,600
 * times at a fixed one in 64, enough for the JIT to compile the size estimator's object walk into
 * {@link #add} and the loops calling it (a quarter of a second of a 2-core machine's compiler time
 * while the job ran); now about 300 times, and {@link #add} is a counter and a comparison.
 */
public final class SizeTracker {

    private final long overheadPerRecord;
    private long records;
    private long sampled;
    /** Sum over samples of a sample's size times the records it stands for. */
    private double weightedBytes;
    /** Records the samples stand for (the weights' sum). */
    private long weight;
    /** The record count at the last sample (since the last reset). */
    private long lastSampled;
    /** The record count at which the next record is sized. */
    private long nextSample = 1;

    /** A tracker adding {@code overheadPerRecord} bytes (slots, map entries) to each record's own size. */
    public SizeTracker(long overheadPerRecord) {
        this.overheadPerRecord = overheadPerRecord;
    }

    /** Notes one more record made of {@code a} and {@code b} (either may be null). */
    public void add(Object a, Object b) {
        if (++records >= nextSample) {
            sample(a, b);
        }
    }

    private void sample(Object a, Object b) {
        sampled++;
        long stands = records - lastSampled;
        weightedBytes += (double) (SizeEstimator.estimate(a) + SizeEstimator.estimate(b)) * stands;
        weight += stands;
        lastSampled = records;
        nextSample = records + (sampled < 32 ? 1 : Math.max(64, records / 64));
    }

    /** Notes that {@code n} more records of average size were added (e.g. merged into existing ones). */
    public void addUnsampled(long n) {
        records += n;
    }

    /** Records added since the last reset. */
    public long records() {
        return records;
    }

    /** Estimated bytes of all records added since the last reset. */
    public long estimate() {
        if (records == 0) {
            return 0;
        }
        double avg = weight == 0 ? 0 : weightedBytes / weight;
        return (long) (records * (avg + overheadPerRecord));
    }

    /** Forgets the records (after a spill); keeps the learned average. */
    public void reset() {
        records = 0;
        lastSampled = 0;
        nextSample = sampled < 32 ? 1 : 64;
    }
}
