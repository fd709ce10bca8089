package dev.kindling.internal.util;

/**
 * The configuration keys of the status web UI. The UI itself lives in the shell module (rdd-core
 * carries no HTTP); a context with {@link #ENABLED} set starts it by class name, as an extra
 * listener (see {@code KindlingConf.EXTRA_LISTENERS}). README.md, section "Status web UI",
 * documents each key.
 *
 * <p><b>Not a part of the public API</b>: this class can change or disappear without notice.
 */
public final class StatusUiKeys {

    /** Whether a context starts the status web UI: off for library use, on for contexts of {@code bin/kindling}. */
    public static final String ENABLED = "kindling.ui.enabled";
    /** Address the UI binds to; anything but a loopback address needs {@link #TOKEN}. */
    public static final String HOST = "kindling.ui.host";
    /** First port tried; the next ones are tried when it is taken (16 in all). */
    public static final String PORT = "kindling.ui.port";
    /** The access token of a UI bound off the loopback address (generated when unset). */
    public static final String TOKEN = "kindling.ui.token";
    /** Whether a UI bound off the loopback address requires the token ({@code false}: open to the network, warned). */
    public static final String TOKEN_REQUIRED = "kindling.ui.tokenRequired";
    /** Whether the UI's kill buttons and POST endpoints may cancel jobs and stages. */
    public static final String KILL_ENABLED = "kindling.ui.killEnabled";
    /** Finished jobs the UI keeps. */
    public static final String RETAINED_JOBS = "kindling.ui.retainedJobs";
    /** Finished stage attempts the UI keeps. */
    public static final String RETAINED_STAGES = "kindling.ui.retainedStages";
    /** Tasks the UI keeps per stage attempt. */
    public static final String RETAINED_TASKS = "kindling.ui.retainedTasks";
    /** The listener class a context with {@link #ENABLED} creates. */
    public static final String UI_CLASS = "dev.kindling.shell.ui.StatusUi";

    private StatusUiKeys() {
    }
}
