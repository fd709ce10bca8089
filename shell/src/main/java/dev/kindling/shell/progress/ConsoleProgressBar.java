package dev.kindling.shell.progress;

import dev.kindling.KindlingConf;
import dev.kindling.KindlingContext;
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
import java.util.function.Supplier;

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
 * <p>When the context serves its status web UI and standard error is a terminal (not {@code TERM=dumb}),
 * each {@code Stage N} is a terminal hyperlink (the OSC 8 escape {@code ESC ] 8 ;; URL ESC \ text
 * ESC ] 8 ;; ESC \}) to that stage's page, with the UI's token only when its start address has one;
 * terminals without OSC 8 show the plain text.
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
    /** The status UI's start address, or null: then stage ids are not links. */
    private final Supplier<String> uiUrl;

    private final Map<Long, StageState> stages = new LinkedHashMap<>();
    private int activeJobs;
    private Thread renderer;
    private boolean closed;
    /** What is on the terminal now, escapes included. */
    private String lastLine = "";
    /** The visible width of {@link #lastLine}. */
    private int lastWidth;

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
     * The bar of {@code context} on {@code System.err} (how {@value KindlingConf#EXTRA_LISTENERS}
     * creates it): disabled when {@value KindlingConf#SHOW_CONSOLE_PROGRESS} is false; its stage ids
     * link to the context's status UI when there is one and standard error is a terminal that is not
     * {@code TERM=dumb}.
     */
    public ConsoleProgressBar(KindlingContext context) {
        this(System.err, ConsoleProgressBar::terminalWidth, System::currentTimeMillis,
                context.getConf().getBoolean(KindlingConf.SHOW_CONSOLE_PROGRESS, true),
                linksAllowed(System.getenv("TERM"), Terminals.isStderrTerminal())
                        ? () -> context.uiWebUrl().orElse(null) : null);
    }

    /**
     * A bar drawing on {@code out}, {@code width} columns wide, with time from {@code clock}
     * (milliseconds, comparable with event times); for tests and embedding.
     */
    public ConsoleProgressBar(PrintStream out, IntSupplier width, LongSupplier clock, boolean enabled) {
        this(out, width, clock, enabled, null);
    }

    /**
     * A bar as {@link #ConsoleProgressBar(PrintStream, IntSupplier, LongSupplier, boolean)} whose stage
     * ids link to the status UI at the address {@code uiUrl} gives (its start address, or null while
     * there is none); a null {@code uiUrl} draws no links. For terminals only: the links are escapes.
     */
    public ConsoleProgressBar(PrintStream out, IntSupplier width, LongSupplier clock, boolean enabled,
                              Supplier<String> uiUrl) {
        this.out = out;
        this.width = width;
        this.clock = clock;
        this.enabled = enabled;
        this.uiUrl = uiUrl;
    }

    /** Whether links may be drawn: on a terminal whose {@code TERM} is not {@code dumb}. */
    static boolean linksAllowed(String term, boolean terminal) {
        return terminal && !"dumb".equals(term);
    }

    /** Whether this bar draws its stage ids as links (when the UI has an address). */
    boolean drawsLinks() {
        return uiUrl != null;
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
        stages.put(key(info.stageId(), info.attempt()), new StageState(info.stageId(), info.attempt(), info.numTasks(),
                event.time()));
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
            result.add(new StageProgress(s.stageId, s.total, s.completed, s.running, s.attempt));
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

    /**
     * {@code line} (as {@link #render} drew {@code stages}) with each whole {@code Stage N} made an OSC 8
     * terminal hyperlink to the stage's page under {@code uiUrl} (the UI's start address; its
     * {@code ?token=}, if any, is carried over).
     */
    public static String withLinks(String line, List<StageProgress> stages, String uiUrl) {
        StringBuilder b = new StringBuilder(line.length() + 100 * stages.size());
        int from = 0;
        for (StageProgress s : stages) {
            String text = "Stage " + s.stageId();
            int at = line.indexOf("[" + text + ":", from);
            if (at < 0) {
                break; // cut off by the width
            }
            b.append(line, from, at + 1).append(hyperlink(stageUrl(uiUrl, s.stageId(), s.attempt()), text));
            from = at + 1 + text.length();
        }
        return b.append(line, from, line.length()).toString();
    }

    /** {@code text} as an OSC 8 hyperlink to {@code url}. */
    static String hyperlink(String url, String text) {
        return "\u001b]8;;" + url + "\u001b\\" + text + "\u001b]8;;\u001b\\";
    }

    /**
     * The page of stage {@code stageId}'s attempt {@code attempt} under the UI at {@code uiUrl} (as
     * printed at start: {@code http://host:port}, or {@code http://host:port/?token=T} when the UI needs
     * its token, which the page's address then carries too).
     */
    public static String stageUrl(String uiUrl, int stageId, int attempt) {
        int q = uiUrl.indexOf("/?token=");
        String base = q < 0 ? stripSlash(uiUrl) : uiUrl.substring(0, q);
        String token = q < 0 ? "" : "&token=" + uiUrl.substring(q + "/?token=".length());
        return base + "/stages/stage/?id=" + stageId + "&attempt=" + attempt + token;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Redraws the line for {@code now} if it changed; erases it when nothing is to be shown. */
    synchronized void redraw(long now) {
        List<StageProgress> shown = visibleStages(now);
        String line = render(shown, width.getAsInt() - 1);
        String url = uiUrl == null || line.isEmpty() ? null : uiUrl.get();
        draw(url == null ? line : withLinks(line, shown, url), line.length());
    }

    private synchronized void draw(String line) {
        draw(line, line.length());
    }

    /** Draws {@code line}, {@code visible} columns wide once its escapes are left out. */
    private synchronized void draw(String line, int visible) {
        if (line.equals(lastLine)) {
            return;
        }
        if (line.isEmpty()) {
            out.print("\r" + " ".repeat(lastWidth) + "\r");
        } else {
            out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - visible)));
        }
        out.flush();
        lastLine = line;
        lastWidth = visible;
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
        final int attempt;
        final int total;
        final long submitted;
        int completed;
        int running;

        StageState(int stageId, int attempt, int total, long submitted) {
            this.stageId = stageId;
            this.attempt = attempt;
            this.total = total;
            this.submitted = submitted;
        }
    }
}
