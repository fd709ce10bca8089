package dev.kindling.shell.ui;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;

/**
 * The history server of {@code bin/kindling history DIR}: the status UI and REST API of every event
 * log in a directory, finished or not (a crashed application's log shows what was recorded, and its
 * pages say it did not finish), with an application list at {@code /}. Same access rules as a live
 * UI ({@link UiSecurity}); nothing can be killed.
 */
public final class HistoryServer implements AutoCloseable {

    private final UiServer server;
    private final String url;

    private HistoryServer(UiServer server, String url) {
        this.server = server;
        this.url = url;
    }

    /**
     * Serves the logs of {@code dir} on {@code host}:{@code port} (the next of 16 ports when taken; 0:
     * any). Off the loopback address every request needs {@code token} (a new one when null) unless
     * {@code tokenRequired} is false.
     *
     * @throws IOException when no port can be bound
     */
    public static HistoryServer start(Path dir, InetAddress host, int port, String token, boolean tokenRequired)
            throws IOException {
        boolean loopback = UiSecurity.isLoopback(host);
        boolean required = !loopback && tokenRequired;
        String t = token == null || token.isBlank() ? UiSecurity.newToken() : token;
        UiSecurity security = new UiSecurity(t, required, false, loopback);
        UiServer server = UiServer.start(host, port, new UiRouter(new HistoryApps(dir, StatusStore.Limits.DEFAULT),
                security));
        return new HistoryServer(server, server.url() + (required ? "/?token=" + t : "/"));
    }

    /** The URL to open (with {@code ?token=} when one is needed). */
    public String url() {
        return url;
    }

    /** The bound port. */
    public int port() {
        return server.port();
    }

    /** Stops serving: the port is closed and the server thread ends. */
    @Override
    public void close() {
        server.close();
    }
}
