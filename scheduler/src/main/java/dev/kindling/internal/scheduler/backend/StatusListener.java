package dev.kindling.internal.scheduler.backend;

/**
 * Receives the status updates of the tasks a backend launched. Called on executor threads (or the
 * threads of a remote connection); an implementation hands the update to the scheduler's event
 * thread and returns at once.
 */
@FunctionalInterface
public interface StatusListener {

    /** A task changed state; for each launched task, zero or one RUNNING update and then exactly one final one. */
    void statusUpdate(StatusUpdate update);

    /**
     * Task {@code taskId} was sent to executor {@code executorId} at locality {@code locality};
     * called by backends that place tasks ({@link ExecutorBackend#schedulesByLocality()}) before the
     * task can report anything. Must return at once and take no lock.
     */
    default void launched(long taskId, String executorId, dev.kindling.scheduler.TaskLocality locality) {
    }
}
