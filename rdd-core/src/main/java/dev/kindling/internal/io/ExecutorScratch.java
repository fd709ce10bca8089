package dev.kindling.internal.io;

import dev.kindling.internal.scheduler.TaskContextAccess;
import dev.kindling.scheduler.TaskContext;
import java.nio.file.Path;

/**
 * The scratch directory of the executor that runs a task: where a task keeps files that the other
 * tasks of the same executor may share (the files a streaming job ships, its attempts' working
 * directories). It is on the executor's own machine, in every mode: the context's scratch directory
 * in local mode, the executor's directory under it on {@code local-cluster}, the container's working
 * directory on YARN. Whoever created the executor deletes it when the executor stops (the context's
 * {@code close()} in local mode), so nothing written there outlives the application.
 *
 * <p><b>Not a part of the public API</b>: this class can change or disappear without notice.
 */
public final class ExecutorScratch {

    private ExecutorScratch() {
    }

    /**
     * The scratch directory of the executor running {@code task}.
     *
     * @throws IllegalStateException if {@code task} was not started by an executor
     */
    public static Path dir(TaskContext task) {
        return TaskContextAccess.get().env(task).localDir();
    }
}
