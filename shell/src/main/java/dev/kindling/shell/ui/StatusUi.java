package dev.kindling.shell.ui;

import dev.kindling.KindlingConf;
import dev.kindling.KindlingContext;
import dev.kindling.internal.eventlog.ApplicationInfo;
import dev.kindling.internal.eventlog.EventJson;
import dev.kindling.internal.util.StatusUiKeys;
import dev.kindling.internal.util.WebUiAddress;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status web UI of a running context: a listener that keeps the context's jobs, stages and tasks
 * in a bounded {@link StatusStore} and serves pages, the REST API and {@code /metrics} over HTTP (see
 * {@link UiRouter}). A context creates it when {@code kindling.ui.enabled} is true (the default of
 * {@code bin/kindling}, off for library use), through {@code kindling.extraListeners}' hook for
 * listeners that take the context; it prints {@code Kindling UI at http://127.0.0.1:4040} once on
 * standard error and is closed with the context (port and thread gone).
 *
 * <p>Settings: {@code kindling.ui.host} (127.0.0.1), {@code kindling.ui.port} (4040, the next of 16
 * ports when taken, 0 for any), {@code kindling.ui.token}, {@code kindling.ui.tokenRequired},
 * {@code kindling.ui.killEnabled}, {@code kindling.ui.retainedJobs/Stages/Tasks}; see
 * {@link UiSecurity} for the access rules. When no port can be bound the application runs without a
 * UI (one warning).
 *
 * <p>Threading: listener calls run on the scheduler's event thread and only update the store; pages
 * are built on the server's own thread.
 */
public final class StatusUi implements SchedulerListener, WebUiAddress, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatusUi.class);

    private final StatusStore store;
    private final UiServer server;
    private final String url;

    /** Starts the UI of {@code context} (called by the context as it starts, once it is ready). */
    public StatusUi(KindlingContext context) {
        this(context, System.err);
    }

    StatusUi(KindlingContext context, PrintStream announce) {
        KindlingConf conf = context.getConf();
        StatusStore.Limits limits = new StatusStore.Limits(conf.getInt(StatusUiKeys.RETAINED_JOBS, 1000),
                conf.getInt(StatusUiKeys.RETAINED_STAGES, 1000), conf.getInt(StatusUiKeys.RETAINED_TASKS, 100_000));
        ApplicationInfo app = new ApplicationInfo(EventJson.SCHEMA_VERSION, context.applicationId(),
                conf.get(KindlingConf.APP_NAME, "kindling"), startTime(context), System.getProperty("user.name", ""),
                context.version(), ApplicationInfo.redact(conf.getAll()));
        this.store = new StatusStore(app, limits, context.executorThreads());
        String hostName = conf.get(StatusUiKeys.HOST, "127.0.0.1");
        int port = conf.getInt(StatusUiKeys.PORT, 4040);
        if (port < 0 || port > 65535 - UiServer.PORT_TRIES) {
            throw new IllegalArgumentException(StatusUiKeys.PORT + " must be a port from 0 to "
                    + (65535 - UiServer.PORT_TRIES) + " (got " + port + "); leave it unset for 4040");
        }
        InetAddress host;
        try {
            host = InetAddress.getByName(hostName);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(StatusUiKeys.HOST + " names an unknown host (got \"" + hostName
                    + "\"); use an address of this machine, or leave it unset for 127.0.0.1", e);
        }
        boolean loopback = UiSecurity.isLoopback(host);
        boolean tokenRequired = !loopback && conf.getBoolean(StatusUiKeys.TOKEN_REQUIRED, true);
        boolean killEnabled = conf.getBoolean(StatusUiKeys.KILL_ENABLED, false);
        String token = conf.get(StatusUiKeys.TOKEN, null);
        if (token == null || token.isBlank()) {
            token = UiSecurity.newToken();
        }
        UiSecurity security = new UiSecurity(token, tokenRequired, killEnabled, loopback);
        UiServer started = null;
        try {
            started = UiServer.start(host, port, new UiRouter(UiApps.live(new UiApp(store, context)), security));
        } catch (IOException e) {
            LOG.warn("The Kindling UI is off for {}: {}", context.applicationId(), e.getMessage());
        }
        this.server = started;
        if (server == null) {
            this.url = null;
            return;
        }
        if (!loopback && !tokenRequired) {
            LOG.warn("The Kindling UI at {} needs no token ({}=false): anyone who can reach this address sees "
                    + "the application's jobs and configuration", server.url(), StatusUiKeys.TOKEN_REQUIRED);
        }
        this.url = server.url() + (tokenRequired || killEnabled ? "/?token=" + token : "");
        announce.println("Kindling UI at " + url);
        announce.flush();
    }

    private static long startTime(KindlingContext context) {
        String id = context.applicationId(); // local-<start millis>-<n>
        try {
            return Long.parseLong(id.split("-")[1]);
        } catch (RuntimeException e) {
            return System.currentTimeMillis();
        }
    }

    /** The URL printed at start (with {@code ?token=} when one is needed), or null when the UI could not start. */
    @Override
    public String url() {
        return url;
    }

    /** The bound port, or -1 when the UI could not start. */
    public int port() {
        return server == null ? -1 : server.port();
    }

    StatusStore store() {
        return store;
    }

    @Override
    public void onJobStart(SchedulerEvent.JobStart event) {
        store.onJobStart(event);
    }

    @Override
    public void onJobEnd(SchedulerEvent.JobEnd event) {
        store.onJobEnd(event);
    }

    @Override
    public void onStageSubmitted(SchedulerEvent.StageSubmitted event) {
        store.onStageSubmitted(event);
    }

    @Override
    public void onStageCompleted(SchedulerEvent.StageCompleted event) {
        store.onStageCompleted(event);
    }

    @Override
    public void onTaskStart(SchedulerEvent.TaskStart event) {
        store.onTaskStart(event);
    }

    @Override
    public void onTaskEnd(SchedulerEvent.TaskEnd event) {
        store.onTaskEnd(event);
    }

    @Override
    public void onExecutorAdded(SchedulerEvent.ExecutorAdded event) {
        store.onExecutorAdded(event);
    }

    @Override
    public void onExecutorRemoved(SchedulerEvent.ExecutorRemoved event) {
        store.onExecutorRemoved(event);
    }

    @Override
    public void onBlockUpdated(SchedulerEvent.BlockUpdated event) {
        store.onBlockUpdated(event);
    }

    /** Stops serving: the port is closed and the server thread ends. Idempotent. */
    @Override
    public void close() {
        store.applicationEnded(System.currentTimeMillis());
        if (server != null) {
            server.close();
        }
    }
}
