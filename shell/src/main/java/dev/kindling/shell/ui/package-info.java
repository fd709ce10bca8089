/**
 * The status web UI: a listener ({@link dev.kindling.shell.ui.StatusUi}) that keeps a running
 * context's jobs, stages and tasks in a bounded store and serves pages, a Spark-compatible REST API
 * and Prometheus metrics over Netty's HTTP codec; and the history server
 * ({@link dev.kindling.shell.ui.HistoryServer}) that serves the same for event logs.
 *
 * <p><b>Not a part of the public API</b>: only the command line and contexts (by class name) use it.
 */
package dev.kindling.shell.ui;
