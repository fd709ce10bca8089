package dev.kindling.internal.storage.memory;

/**
 * Something that holds execution memory from the {@link MemoryManager}: a shuffle buffer, an
 * aggregation map, a sort buffer, or the committed in-memory shuffle outputs.
 *
 * <p>Thread safety: {@link #spill(long)} may be called by the memory manager on another thread
 * (one that needs memory), with the manager's lock held; implementations that support it must
 * synchronize with their own task thread.
 */
public interface MemoryConsumer {

    /** Short description for logs and errors, e.g. {@code "shuffle 3 map 1 writer"}. */
    String describe();

    /**
     * Asked by the memory manager to free about {@code bytes} by writing data to disk; returns the
     * bytes actually released (already given back to the manager). Default: cannot spill on request.
     */
    default long spill(long bytes) {
        return 0;
    }

    /** Whether this consumer belongs to a running task (and so counts in the fair share of tasks). */
    default boolean isTask() {
        return true;
    }
}
