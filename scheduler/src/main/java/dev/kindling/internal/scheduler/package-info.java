/**
 * The DAG scheduler, its event loop, the executor backends, task runners and closure copies.
 *
 * <p><b>Not a part of the public API</b>: anything here can change without notice. Exported only to
 * Kindling's own modules (see {@code module-info.java}).
 */
package dev.kindling.internal.scheduler;
