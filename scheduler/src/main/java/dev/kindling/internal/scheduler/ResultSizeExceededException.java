package dev.kindling.internal.scheduler;

import dev.kindling.storage.NotRetryable;

/**
 * A job's serialized task results together grew larger than {@code kindling.driver.maxResultSize}
 * (Spark's {@code spark.driver.maxResultSize}): the result that went over is not fetched, and the job
 * fails at once (a retry would bring the same bytes).
 */
public final class ResultSizeExceededException extends RuntimeException implements NotRetryable {

    private static final long serialVersionUID = 1L;

    /** The configuration key of the limit. */
    public static final String KEY = "kindling.driver.maxResultSize";

    /**
     * @param tasks      results counted so far, this one included
     * @param totalBytes their serialized size together
     * @param limit      the limit in bytes
     */
    ResultSizeExceededException(int tasks, long totalBytes, long limit) {
        super("The serialized results of " + tasks + " task(s) of this job total " + totalBytes + " bytes, more than "
                + KEY + " (" + limit + " bytes); raise " + KEY + " (0 means no limit, if the driver's heap holds "
                + "them), or bring less data to the driver: aggregate on the executors (reduce, aggregate, "
                + "countByKey) or write the data out (saveAsTextFile)");
    }
}
