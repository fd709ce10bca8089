/**
 * The event log: every scheduler event of a context written as one JSON line to a file
 * ({@link dev.kindling.internal.eventlog.EventLogWriter}), and read back into events
 * ({@link dev.kindling.internal.eventlog.EventLogReader}) for the history of finished or crashed
 * applications. The line schema is documented in README.md, section "Event log", and in
 * {@link dev.kindling.internal.eventlog.EventJson}.
 *
 * <p><b>Not a part of the public API</b>: anything here can change without notice.
 */
package dev.kindling.internal.eventlog;
