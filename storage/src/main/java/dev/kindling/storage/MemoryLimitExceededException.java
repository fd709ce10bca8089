package dev.kindling.storage;

/**
 * Thrown when one unit of work cannot be made to fit the memory budget even by spilling, such as
 * the values of a single key in groupByKey. The message names the stage, partition and what to do.
 */
public final class MemoryLimitExceededException extends RuntimeException {

    /** Creates the exception with a message naming where it happened and what to do. */
    public MemoryLimitExceededException(String message) {
        super(message);
    }
}
