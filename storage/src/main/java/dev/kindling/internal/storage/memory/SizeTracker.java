package dev.kindling.internal.storage.memory;

/**
 * Keeps a running estimate of the bytes a growing collection holds without sizing every record:
 * the first records are sized one by one, then one in every 64, and the average is multiplied by
 * the record count. Confined to one thread.
 */
public final class SizeTracker {

    private final long overheadPerRecord;
    private long records;
    private long sampled;
    private long sampledBytes;

    /** A tracker adding {@code overheadPerRecord} bytes (slots, map entries) to each record's own size. */
    public SizeTracker(long overheadPerRecord) {
        this.overheadPerRecord = overheadPerRecord;
    }

    /** Notes one more record made of {@code a} and {@code b} (either may be null). */
    public void add(Object a, Object b) {
        records++;
        if (sampled < 32 || (records & 63) == 0) {
            sampled++;
            sampledBytes += SizeEstimator.estimate(a) + SizeEstimator.estimate(b);
        }
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
        double avg = sampled == 0 ? 0 : (double) sampledBytes / sampled;
        return (long) (records * (avg + overheadPerRecord));
    }

    /** Forgets the records (after a spill); keeps the learned average. */
    public void reset() {
        records = 0;
    }
}
