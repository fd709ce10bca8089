/**
 * The DAG scheduler, its event loop, the executor backends, task runners and closure copies.
 *
 * <h2>Map outputs and fetch failures</h2>
 * <pre>
 *  map task --commit--> ShuffleStore (its executor)      reduce task --read--> ShuffleReader
 *      |  returns MapStatus(location, bytes per reducer)       |  asks locations; local: store,
 *      v                                                      |  remote: ShuffleBlockFetcher
 *  DAGScheduler --register--> MapOutputTracker (driver) <------+
 *      ^                                                      |
 *      +------ FetchFailedException(shuffle, map, executor, reducer) ---+
 * </pre>
 * <ul>
 *   <li>A shuffle-map task's result is the {@code MapStatus} of its committed output; the scheduler
 *       registers it with the {@code MapOutputTracker} (package {@code dev.kindling.internal.shuffle}).
 *       A map stage is complete when the tracker knows every map partition's output; a job skips a
 *       map stage whose outputs are all registered.</li>
 *   <li>A reduce task that cannot read one output fails with a {@code FetchFailedException}. The
 *       scheduler unregisters exactly that output (if it is still on the executor named), kills the
 *       reduce stage's other attempts, re-runs the map stage for its missing partitions only, then
 *       resubmits the reduce stage. Fetch failures are not task failures; 4 consecutive failing
 *       attempts of one stage abort its jobs, the fetch failure as cause.</li>
 *   <li>{@code DAGScheduler.executorLost(id)} unregisters every output of that executor, so the
 *       lost map tasks re-run before a reduce task meets the loss. Resubmitting the lost executor's
 *       running tasks is the backend's part.</li>
 * </ul>
 *
 * <p><b>Not a part of the public API</b>: anything here can change without notice. Exported only to
 * Kindling's own modules (see {@code module-info.java}).
 */
package dev.kindling.internal.scheduler;
