package dev.kindling.shell;

import dev.kindling.KindlingConf;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A listener for tests of child JVMs, registered with {@code --conf kindling.extraListeners=...}:
 * creates the file named by {@value #KEY} when the first task starts, so a test knows a job is
 * running before it sends a signal.
 */
public final class TaskStartedMarker implements SchedulerListener {

    /** The key naming the marker file. */
    public static final String KEY = "kindling.test.taskStartedMarker";

    private final Path marker;

    /** Reads the marker path from the context's configuration. */
    public TaskStartedMarker(KindlingConf conf) {
        this.marker = Path.of(conf.get(KEY, "task-started"));
    }

    @Override
    public void onTaskStart(SchedulerEvent.TaskStart event) {
        if (!Files.exists(marker)) {
            try {
                Files.writeString(marker, "job " + event + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
