package dev.kindling.shell.streaming;

/**
 * A mapper, combiner or reducer failed in one task attempt. The message is one line, Hadoop's
 * words: the attempt, "subprocess failed with code N" and the command; the command's stderr is in
 * the cause ({@link dev.kindling.SubprocessFailedException#stderrTail()}), shown once per failed
 * attempt by the runner, so retries and the job's failure do not print it again.
 */
final class StreamingTaskException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final String attemptId;

    StreamingTaskException(String attemptId, String message, Throwable cause) {
        super(attemptId + ": " + message, cause);
        this.attemptId = attemptId;
    }

    /** Hadoop's name of the failed attempt, as the command saw it in {@code mapreduce_task_attempt_id}. */
    String attemptId() {
        return attemptId;
    }

    /** The message without the attempt. */
    String reason() {
        return getMessage().substring(attemptId.length() + 2);
    }
}
