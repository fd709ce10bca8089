package dev.kindling.storage.memory;

/**
 * The execution memory one spillable buffer holds: grows in chunks as the buffer's estimated size
 * grows, and says when the buffer must spill because the {@link MemoryManager} granted no more.
 * Confined to the task thread that owns the buffer.
 */
public final class ExecutionMemory implements MemoryConsumer {

    private static final long MIN_CHUNK = 1 << 20;

    private final MemoryManager manager;
    private final String description;
    private long granted;

    /** Memory for the buffer described by {@code description} (shown in logs and errors). */
    public ExecutionMemory(MemoryManager manager, String description) {
        this.manager = manager;
        this.description = description;
    }

    @Override
    public String describe() {
        return description;
    }

    /**
     * Makes sure {@code estimatedBytes} are granted, asking for more (about double) when needed;
     * returns false when the manager cannot grant enough, meaning the caller should spill.
     */
    public boolean ensure(long estimatedBytes) {
        if (estimatedBytes <= granted) {
            return true;
        }
        long want = Math.max(MIN_CHUNK, 2 * estimatedBytes - granted);
        granted += manager.acquireExecution(this, want);
        return estimatedBytes <= granted;
    }

    /** Bytes granted now. */
    public long granted() {
        return granted;
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
