package dev.kindling.shell.ui;

import dev.kindling.KindlingContext;

/**
 * One application the UI shows: its {@link StatusStore}, and for a running one its context (for
 * the sizes of cached blocks, memory in use, and cancelling jobs). A replayed application has none.
 *
 * @param store   what the events said
 * @param context the live context, or null for an application read from its event log
 */
record UiApp(StatusStore store, KindlingContext context) {

    /** The application id (its event log's name). */
    String id() {
        return store.application.appId();
    }

    /** The application name. */
    String name() {
        return store.application.appName();
    }

    /** Whether it still runs (live and not closed): its pages refresh themselves. */
    boolean running() {
        return context != null && !context.isClosed() && store.read(() -> store.endTime < 0);
    }

    /** The end of its time line: now while it runs, else its end (or its last event for a crashed one). */
    long now() {
        return store.read(() -> store.endTime >= 0 ? store.endTime : lastEventTime());
    }

    private long lastEventTime() {
        if (context != null) {
            return System.currentTimeMillis();
        }
        long last = store.application.startTime();
        for (UiJob j : store.jobs.values()) {
            last = Math.max(last, Math.max(j.submissionTime, j.completionTime));
        }
        for (UiStage s : store.stages.values()) {
            last = Math.max(last, Math.max(s.submissionTime, s.completionTime));
        }
        return last;
    }

    /** A line shown above every page of an application that did not finish, else null. */
    String banner() {
        return store.read(() -> {
            if (context != null || store.endTime >= 0) {
                return null;
            }
            return "This application did not finish: its event log ends "
                    + (store.incomplete ? "in the middle of a line" : "without the application's end")
                    + " (it crashed or was killed, or still runs). The pages show what was recorded.";
        });
    }
}
