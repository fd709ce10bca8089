package dev.kindling.scheduler;

/** A job was cancelled (by its job group, by {@code cancelAllJobs}, by close or by interrupting its caller). */
public final class JobCancelledException extends JobFailedException {

    /** Creates the exception for job {@code jobId}, saying why it was cancelled. */
    public JobCancelledException(int jobId, String reason) {
        super(jobId, "Job " + jobId + " cancelled: " + reason, null);
    }
}
