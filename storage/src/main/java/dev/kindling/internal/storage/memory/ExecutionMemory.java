package dev.kindling.internal.storage.memory;

/**
 * The execution memory one spillable buffer holds: grows in chunks as the buffer's estimated size
 * grows, and says when the buffer must spill because the {@link MemoryManager} granted no more.
 * Confined to the task thread that owns the buffer.
 */
public final class ExecutionMemory implements MemoryConsumer {

    private static final long MIN_CHUNK = 1 << 20;
    /** Buffers smaller than this never spill (as Spark's initial spill threshold): avoids floods of tiny files. */
    private static final long MAX_SPILL_FLOOR = 5L << 20;

    private final MemoryManager manager;
    private final String description;
    private final long floor;
    private long granted;
    private long peak;

    /** Memory for the buffer described by {@code description} (shown in logs and errors). */
    public ExecutionMemory(MemoryManager manager, String description) {
        this.manager = manager;
        this.description = description;
        this.floor = Math.min(MAX_SPILL_FLOOR, manager.maxBytes() / 32);
    }

    @Override
    public String describe() {
        return description;
    }

    /**
     * Makes sure {@code estimatedBytes} are granted, asking for more (about double) when needed;
     * returns false when the manager cannot grant enough, meaning the caller should spill. A buffer
     * below a small floor ({@code min(5 MB, budget / 32)}) is never told to spill, so a starved
     * consumer writes reasonably sized runs instead of a file every few records.
     */
    public boolean ensure(long estimatedBytes) {
        if (estimatedBytes <= granted) {
            return true;
        }
        long want = Math.max(MIN_CHUNK, 2 * estimatedBytes - granted);
        granted += manager.acquireExecution(this, want);
        peak = Math.max(peak, granted);
        return estimatedBytes <= granted || estimatedBytes < floor;
    }

    /** Bytes granted now. */
    public long granted() {
        return granted;
    }

    /** The most bytes granted at once since this memory was created (a task's peak execution memory). */
    public long peak() {
        return peak;
    }

    /** Gives everything back to the manager (after a spill or when done). */
    public void releaseAll() {
        manager.releaseAll(this);
        granted = 0;
    }

    /** The manager this memory comes from. */
    public MemoryManager manager() {
        return manager;
    }
}
