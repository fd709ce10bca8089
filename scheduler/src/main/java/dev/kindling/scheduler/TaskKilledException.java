package dev.kindling.scheduler;

/** Thrown inside a task that was asked to stop because its job was cancelled or is no longer needed. */
public final class TaskKilledException extends RuntimeException {

    /** Creates the exception with a message naming the task. */
    public TaskKilledException(String message) {
        super(message);
    }
}
