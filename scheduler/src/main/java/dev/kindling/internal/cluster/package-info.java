/**
 * Executor processes for {@code local-cluster[E,C,M]}: the driver's {@link dev.kindling.internal.cluster.LocalCluster}
 * (launch, registry, heartbeats, loss, stop), the executor's {@link dev.kindling.internal.cluster.ExecutorProcess}
 * main class, the {@link dev.kindling.internal.cluster.ClusterMessage} protocol between them over the
 * authenticated transport of {@code dev.kindling.internal.network}, and the class server through which
 * executors load classes only the driver has. Task descriptions and status updates are opaque bytes
 * here; a {@link dev.kindling.internal.cluster.TaskSink} on the executor runs them.
 *
 * <p><b>Not a part of the public API</b>: anything here can change without notice. Exported only to
 * Kindling's own modules (see {@code module-info.java}).
 */
package dev.kindling.internal.cluster;
