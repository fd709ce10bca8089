package dev.kindling.internal.util;

/**
 * A listener that serves a context's status web UI and can say where: the context's
 * {@code uiWebUrl()} asks its listeners for it. Implemented by the shell module's status UI.
 *
 * <p><b>Not a part of the public API</b>: this interface can change or disappear without notice.
 */
public interface WebUiAddress {

    /**
     * The UI's address as printed at start ({@code http://127.0.0.1:4040}, with {@code /?token=...}
     * when the UI needs its token), or null when the UI could not start.
     */
    String url();
}
