package dev.kindling.scheduler;

/**
 * A job could not finish. The message names the job, the stage, the partition and how many attempts
 * were made; {@link #getCause()} is the user's original exception.
 */
public class JobFailedException extends RuntimeException {

    private final int jobId;

    /** Creates the exception for job {@code jobId}. */
    public JobFailedException(int jobId, String message, Throwable cause) {
        super(message, cause);
        this.jobId = jobId;
    }

    /** The job that failed. */
    public int jobId() {
        return jobId;
    }
}
