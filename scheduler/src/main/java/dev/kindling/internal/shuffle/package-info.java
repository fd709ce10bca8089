/**
 * The shuffle, in one place: the map side's writer ({@link dev.kindling.internal.shuffle.MapOutputWriter}
 * with its combine map), the store of map outputs kept in memory and spilled to disk
 * ({@link dev.kindling.internal.shuffle.SpillingShuffleStore}, {@code SpillFile}), the driver's
 * {@link dev.kindling.internal.shuffle.MapOutputTracker} of where each output lives
 * ({@link dev.kindling.internal.shuffle.MapStatus}), the reduce side's reader by location
 * ({@link dev.kindling.internal.shuffle.ShuffleReader}: local outputs directly, others through a
 * {@link dev.kindling.internal.shuffle.ShuffleBlockFetcher}, served by a
 * {@link dev.kindling.internal.shuffle.ShuffleBlockSource}; any failure a
 * {@link dev.kindling.internal.shuffle.FetchFailedException}), and the reduce side's aggregation and
 * sorting with bounded memory ({@link dev.kindling.internal.shuffle.ExternalAggregator},
 * {@link dev.kindling.internal.shuffle.ExternalSorter}, their {@code SpillRun}s).
 *
 * <pre>
 *  map task: records -> MapOutputWriter (combine) -> ShuffleWriter -> ShuffleStore --> MapStatus
 *                                                                        |             (to the driver's
 *  reduce task: ShuffledRDD -> ShuffleReader -- same executor ----------+              MapOutputTracker)
 *                                 |-- other executor: ShuffleBlockFetcher ==net==> ShuffleBlockSource
 *                                 v
 *               ExternalAggregator / ExternalSorter (spill runs) -> records
 * </pre>
 *
 * <p>Where the pieces are reached today: the context (rdd-core) owns the store, the tracker and
 * the reader (the task's {@code ExecutorEnv.shuffleReader()}); the task runner writes map outputs into the
 * store it is given. In local mode every output is on executor {@code "driver"} and is read
 * directly, with no copy and no serialization (unless it spilled).
 *
 * <h2>Why here, in the scheduler module</h2>
 * Modules depend one way, {@code storage <- scheduler <- rdd-core}. The shuffle needs the scheduler's
 * types (the {@code ShuffleDependency} with its partitioner, key/value extractors and
 * {@code Aggregator}, the task context and its metrics) and storage's (memory budget, serializer,
 * checksummed scratch files), and nothing of the typed API. So it lives in the lowest module that
 * sees all it needs. Where rdd-core's types would be needed, the code here takes a scheduler-level
 * stand-in instead:
 * <ul>
 *   <li>records are split into key and value by the dependency's extractors on the map side, and
 *       reduce-side results are built by a {@code BiFunction} the caller passes ({@code Pair::new}
 *       in rdd-core), so nothing here knows {@code Pair};</li>
 *   <li>spilling takes {@link dev.kindling.internal.shuffle.SpillSettings} (budget, serializer,
 *       directory, task slots), not the context.</li>
 * </ul>
 * Two thin adapters stay in rdd-core: {@code ShuffledRDD} (and {@code CoGroupedRDD}), an RDD that
 * asks the shuffle for its partition's records, and {@code BorrowAwareAggregator}, which copies
 * shared combiners before a merge modifies them and must know which of rdd-core's record types
 * ({@code Pair}, {@code Triple}) are immutable.
 *
 * <p><b>Not a part of the public API</b>: anything here can change without notice. Exported only to
 * Kindling's own modules (see {@code module-info.java}).
 */
package dev.kindling.internal.shuffle;
