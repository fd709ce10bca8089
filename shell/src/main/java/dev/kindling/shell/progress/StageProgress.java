package dev.kindling.shell.progress;

/**
 * A snapshot of one running stage for the progress bar: how many of its tasks have finished and how
 * many are running right now.
 *
 * @param stageId   the stage's id, as in {@code [Stage 3:...]}
 * @param total     the stage's task count
 * @param completed tasks that finished successfully
 * @param running   task attempts running now
 * @param attempt   the stage attempt, as in the stage page's address
 */
public record StageProgress(int stageId, int total, int completed, int running, int attempt) {

    /** A first attempt's progress. */
    public StageProgress(int stageId, int total, int completed, int running) {
        this(stageId, total, completed, running, 0);
    }
}
