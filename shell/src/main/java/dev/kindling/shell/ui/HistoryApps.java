package dev.kindling.shell.ui;

import dev.kindling.internal.eventlog.EventLogReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The applications of a history directory: every event log in it (finished {@code <appId>},
 * {@code <appId>.gz}, and {@code <appId>.inprogress} of running or crashed applications), each
 * replayed into a {@link StatusStore}. The directory is listed again on each request of the list, and
 * a log read again when its size or modification time changed (an application still writing it);
 * a log that cannot be read is skipped with one warning.
 */
final class HistoryApps implements UiApps {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryApps.class);

    private final Path dir;
    private final StatusStore.Limits limits;
    private final Map<Path, Loaded> loaded = new HashMap<>();

    private record Loaded(FileTime modified, long size, UiApp app) {
    }

    HistoryApps(Path dir, StatusStore.Limits limits) {
        this.dir = dir;
        this.limits = limits;
    }

    /** Replays one log into a store. */
    static UiApp replay(Path log, StatusStore.Limits limits) throws IOException {
        EventLogReader.Replay replay = EventLogReader.read(log);
        StatusStore store = new StatusStore(replay.application(), limits, executorThreads(replay));
        replay.replayTo(store);
        store.applicationEnded(replay.finished() ? replay.endTime() : -1);
        store.read(() -> store.incomplete = replay.truncated());
        return new UiApp(store, null);
    }

    private static int executorThreads(EventLogReader.Replay replay) {
        java.util.Set<String> threads = new java.util.HashSet<>();
        replay.events().forEach(e -> {
            if (e instanceof dev.kindling.scheduler.SchedulerEvent.TaskStart t) {
                threads.add(t.task().executorThread());
            }
        });
        return threads.size();
    }

    @Override
    public synchronized List<UiApp> list() {
        List<Path> logs;
        try (Stream<Path> files = Files.list(dir)) {
            logs = files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .toList();
        } catch (IOException e) {
            LOG.warn("Cannot list the history directory {} ({}); showing no applications", dir, e.toString());
            return List.of();
        }
        List<UiApp> apps = new ArrayList<>();
        for (Path log : logs) {
            UiApp app = load(log);
            if (app != null) {
                apps.add(app);
            }
        }
        loaded.keySet().retainAll(logs);
        apps.sort(Comparator.comparingLong((UiApp a) -> a.store().application.startTime()).reversed());
        return apps;
    }

    private UiApp load(Path log) {
        try {
            FileTime modified = Files.getLastModifiedTime(log);
            long size = Files.size(log);
            Loaded l = loaded.get(log);
            if (l != null && l.modified.equals(modified) && l.size == size) {
                return l.app;
            }
            UiApp app = replay(log, limits);
            loaded.put(log, new Loaded(modified, size, app));
            return app;
        } catch (IOException | RuntimeException e) {
            if (!loaded.containsKey(log)) {
                LOG.warn("Skipping {}: it is not a readable Kindling event log ({})", log, e.getMessage());
                loaded.put(log, new Loaded(FileTime.fromMillis(0), -1, null));
            }
            return null;
        }
    }

    @Override
    public synchronized UiApp get(String id) {
        for (UiApp app : list()) {
            if (app.id().equals(id)) {
                return app;
            }
        }
        return null;
    }

    @Override
    public boolean history() {
        return true;
    }
}
