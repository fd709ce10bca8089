/**
 * The executor side of the task boundary: {@link dev.kindling.internal.executor.ExecutorEnv} (the
 * services a task may use) and the {@code Executor} (runs task
 * descriptions and reports status updates). An executor knows nothing of the driver's objects: it
 * sees task descriptions (bytes, or in local mode the same immutable objects), and answers with
 * status updates.
 *
 * <p><b>Not a part of the public API</b>: these classes can change or disappear without notice.
 */
package dev.kindling.internal.executor;
