package dev.kindling.storage;

/**
 * Marks a failure that running the same task again cannot fix (a full disk, a fault of the
 * machine rather than of the user's function). The scheduler fails the job at once when a task's
 * failure, or any exception in its cause chain, implements this interface, instead of retrying the
 * task up to {@code kindling.task.maxFailures} times. {@link OutOfMemoryError} is treated the same
 * way without implementing it.
 */
public interface NotRetryable {
}
