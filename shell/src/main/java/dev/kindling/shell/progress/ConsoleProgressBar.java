package dev.kindling.shell.progress;

import dev.kindling.KindlingConf;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Draws Spark-style progress for running stages on one line of a terminal, redrawn in place:
 * <pre>[Stage 3:=========&gt;          (37 + 2) / 64]</pre>
 * (finished + running tasks / total). A stage shows up once it has run for
 * {@value #SHOW_AFTER_MS} ms and disappears when it ends; up to {@value #MAX_STAGES} concurrent
 * stages share the line; the line is erased when nothing is left to show.
 *
 * <p>Threading: the listener methods run on the scheduler's event thread and only update counters
 * under this object's lock (and, when the last active job ends, erase the line, so the job's result
 * is not printed after a stale bar). Drawing happens on a daemon thread ({@code kindling-progress})
 * that wakes every {@value #REDRAW_MS} ms while a job is active, and ends by itself once no job is
 * active or when {@link #close()} is called. All terminal writes hold this object's lock; each is one
 * short line.
 *
 * <p>Register it with {@code kc.addListener(new ConsoleProgressBar())}, or name it in
 * {@value KindlingConf#EXTRA_LISTENERS}; it is inert when {@value KindlingConf#SHOW_CONSOLE_PROGRESS}
 * is {@code false}.
 */
public final class ConsoleProgressBar implements SchedulerListener, AutoCloseable {

    /** A stage is shown once it has been running this long. */
    public static final long SHOW_AFTER_MS = 500;
    /** How often the line is redrawn. */
    public static final long REDRAW_MS = 200;
    /** At most this many concurrent stages are drawn. */
    public static final int MAX_STAGES = 3;

    private final PrintStream out;
    private final IntSupplier width;
    private final LongSupplier clock;
    private final boolean enabled;

    private final Map<Long, StageState> stages = new LinkedHashMap<>();
    private int activeJobs;
    private Thread renderer;
    private boolean closed;
    /** What is on the terminal now. */
    private String lastLine = "";

    /** A bar on {@code System.err}, as wide as the terminal ({@code COLUMNS}, else 80 columns). */
    public ConsoleProgressBar() {
        this(System.err, ConsoleProgressBar::terminalWidth, System::currentTimeMillis, true);
    }

    /** A bar on {@code System.err}, disabled when {@value KindlingConf#SHOW_CONSOLE_PROGRESS} is false. */
    public ConsoleProgressBar(KindlingConf conf) {
        this(System.err, ConsoleProgressBar::terminalWidth, System::currentTimeMillis,
                conf.getBoolean(KindlingConf.SHOW_CONSOLE_PROGRESS, true));
    }

    /**
     * A bar drawing on {@code out}, {@code width} columns wide, with time from {@code clock}
     * (milliseconds, comparable with event times); for tests and embedding.
     */
    public ConsoleProgressBar(PrintStream out, IntSupplier width, LongSupplier clock, boolean enabled) {
        this.out = out;
        this.width = width;
        this.clock = clock;
        this.enabled = enabled;
    }

    // ---- listener: quick counter updates on the scheduler thread ----

    @Override
    public synchronized void onJobStart(SchedulerEvent.JobStart event) {
        activeJobs++;
        if (enabled && !closed && renderer == null) {
            renderer = new Thread(this::renderLoop, "kindling-progress");
            renderer.setDaemon(true);
            renderer.start();
        }
    }

    @Override
    public synchronized void onJobEnd(SchedulerEvent.JobEnd event) {
        activeJobs = Math.max(0, activeJobs - 1);
        if (activeJobs == 0) {
            // Erase now, before the job's caller gets its result and prints it on this line; forget
            // any stage whose end was not reported, so it cannot linger into the next job's line.
            stages.clear();
            draw("");
        }
    }

    @Override
    public synchronized void onStageSubmitted(SchedulerEvent.StageSubmitted event) {
        SchedulerEvent.StageInfo info = event.stage();
        stages.put(key(info.stageId(), info.attempt()), new StageState(info.stageId(), info.numTasks(), event.time()));
    }

    @Override
    public synchronized void onStageCompleted(SchedulerEvent.StageCompleted event) {
        stages.remove(key(event.stage().stageId(), event.stage().attempt()));
    }

    @Override
    public synchronized void onTaskStart(SchedulerEvent.TaskStart event) {
        StageState s = stages.get(key(event.stageId(), event.stageAttempt()));
        if (s != null) {
            s.running++;
        }
    }

    @Override
    public synchronized void onTaskEnd(SchedulerEvent.TaskEnd event) {
        StageState s = stages.get(key(event.stageId(), event.stageAttempt()));
        if (s != null) {
            s.running = Math.max(0, s.running - 1);
            if (event.succeeded()) {
                s.completed = Math.min(s.total, s.completed + 1);
            }
        }
    }

    // ---- what to draw ----

    /** The stages worth showing at {@code now}: running for at least {@value #SHOW_AFTER_MS} ms, oldest first. */
    public synchronized List<StageProgress> visibleStages(long now) {
        List<StageState> shown = new ArrayList<>();
        for (StageState s : stages.values()) {
            if (now - s.submitted >= SHOW_AFTER_MS) {
                shown.add(s);
            }
        }
        shown.sort(Comparator.comparingInt((StageState s) -> s.stageId));
        List<StageProgress> result = new ArrayList<>();
        for (StageState s : shown.subList(0, Math.min(MAX_STAGES, shown.size()))) {
            result.add(new StageProgress(s.stageId, s.total, s.completed, s.running));
        }
        return result;
    }

    /**
     * Renders stages into one line of at most {@code width} characters: each stage gets an equal
     * share, {@code [Stage N:} then a bar of {@code =} ending in {@code >} proportional to finished
     * tasks, then {@code (finished + running) / total]}. The bar is left out when the share is too
     * narrow for it. No stages give an empty line.
     */
    public static String render(List<StageProgress> stages, int width) {
        if (stages.isEmpty()) {
            return "";
        }
        int share = Math.max(0, width) / stages.size();
        StringBuilder line = new StringBuilder();
        for (StageProgress s : stages) {
            String head = "[Stage " + s.stageId() + ":";
            String tail = "(" + s.completed() + " + " + s.running() + ") / " + s.total() + "]";
            int barWidth = share - head.length() - tail.length();
            line.append(head);
            if (barWidth > 0) {
                int filled = s.total() <= 0 ? barWidth : (int) ((long) barWidth * s.completed() / s.total());
                StringBuilder bar = new StringBuilder(barWidth);
                bar.append("=".repeat(filled));
                if (filled < barWidth) {
                    bar.append('>');
                }
                while (bar.length() < barWidth) {
                    bar.append(' ');
                }
                line.append(bar);
            }
            line.append(tail);
        }
        return line.length() <= width ? line.toString() : line.substring(0, Math.max(0, width));
    }

    /** Redraws the line for {@code now} if it changed; erases it when nothing is to be shown. */
    synchronized void redraw(long now) {
        draw(render(visibleStages(now), width.getAsInt() - 1));
    }

    private synchronized void draw(String line) {
        if (line.equals(lastLine)) {
            return;
        }
        if (line.isEmpty()) {
            out.print("\r" + " ".repeat(lastLine.length()) + "\r");
        } else {
            out.print("\r" + line + " ".repeat(Math.max(0, lastLine.length() - line.length())));
        }
        out.flush();
        lastLine = line;
    }

    private void renderLoop() {
        while (true) {
            boolean stop = false;
            try {
                Thread.sleep(REDRAW_MS);
            } catch (InterruptedException e) {
                stop = true;
            }
            synchronized (this) {
                if (stop || closed || activeJobs == 0 || renderer != Thread.currentThread()) {
                    if (renderer == Thread.currentThread()) {
                        renderer = null;
                    }
                    draw("");
                    return;
                }
                redraw(clock.getAsLong());
            }
        }
    }

    /** Stops drawing and erases the line; the bar ignores later jobs. Idempotent. */
    @Override
    public void close() {
        Thread thread;
        synchronized (this) {
            closed = true;
            thread = renderer;
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the drawing thread is running (for tests). */
    synchronized boolean isDrawing() {
        return renderer != null;
    }

    /** The terminal's width from the {@code COLUMNS} environment variable, else 80. */
    public static int terminalWidth() {
        String columns = System.getenv("COLUMNS");
        if (columns != null) {
            try {
                int n = Integer.parseInt(columns.trim());
                if (n > 10) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the default
            }
        }
        return 80;
    }

    private static long key(int stageId, int attempt) {
        return ((long) stageId << 32) | (attempt & 0xffffffffL);
    }

    /** Mutable counters of one stage attempt; guarded by the bar's lock. */
    private static final class StageState {
        final int stageId;
        final int total;
        final long submitted;
        int completed;
        int running;

        StageState(int stageId, int total, long submitted) {
            this.stageId = stageId;
            this.total = total;
            this.submitted = submitted;
        }
    }
}
