/**
 * The task boundary between the driver's scheduler and its executors, as bytes.
 *
 * <h2>What crosses it</h2>
 * <ul>
 *   <li>Driver to executor: a {@link dev.kindling.internal.scheduler.backend.TaskDescription}: task
 *       id, job, stage and stage attempt, partition, attempt number, the job's local properties, how
 *       functions are copied, the ids of the broadcasts the task uses (every broadcast handle written
 *       while the binary was serialized; the only broadcasts the task can reach) and of its
 *       accumulators (not filled yet), and the <em>task binary</em> ({@link dev.kindling.internal.scheduler.backend.TaskBinary}): the
 *       stage's lineage serialized together with the action's function (result stage) or the
 *       shuffle dependency (shuffle-map stage), made once per stage attempt and shared by its
 *       tasks.</li>
 *   <li>Executor to driver: {@link dev.kindling.internal.scheduler.backend.StatusUpdate}s: RUNNING
 *       when a task starts, then exactly one of FINISHED (result bytes, or the id and size of a
 *       {@link dev.kindling.internal.scheduler.backend.ResultBlock} holding a result larger than
 *       {@code kindling.task.maxDirectResultSize} on the executor, which the driver fetches in chunks
 *       and then has deleted; accumulator updates, metrics), FAILED (the user's exception, or a
 *       {@link dev.kindling.scheduler.RemoteTaskException} standing in for one that does not
 *       serialize) or KILLED.</li>
 * </ul>
 *
 * <h2>Who owns what</h2>
 * <ul>
 *   <li>The driver owns jobs, stages, attempts, results, the driver's accumulator objects and the
 *       broadcast values; the {@code DAGScheduler} decides from status updates only, never from an
 *       executor's {@code TaskContext}.</li>
 *   <li>An executor owns its {@code ExecutorEnv} (memory, blocks, shuffle output, serializer,
 *       broadcast cache, scratch directory), its threads and the {@code TaskContext} of each task it
 *       runs; it deserializes each task's binary itself, so every task has its own copy of the
 *       functions.</li>
 *   <li>An {@link dev.kindling.internal.scheduler.backend.ExecutorBackend} carries descriptions to
 *       executors and status updates back to its {@link dev.kindling.internal.scheduler.backend.StatusListener};
 *       {@link dev.kindling.internal.scheduler.backend.LocalBackend} is one executor in the driver's
 *       JVM.</li>
 *   <li>Where a task runs is the driver's decision: the scheduler computes each task's
 *       {@link dev.kindling.internal.scheduler.backend.TaskPreferences} (executors holding its cached
 *       partition, hosts holding its input) only for a backend that places tasks by locality, and that
 *       backend waits for a good place with a
 *       {@link dev.kindling.internal.scheduler.backend.LocalityQueue} and learns where cached partitions
 *       live from the executors' reports ({@link dev.kindling.internal.scheduler.backend.BlockLocations}).
 *       Preferences never travel to executors.</li>
 * </ul>
 *
 * <h2>Local mode</h2>
 * With {@code kindling.task.serialization=auto} (the default) the local backend skips the steps
 * whose result is provably the same: it hands the executor the description object (the binary as
 * the immutable object graph, functions still copied per task as {@code kindling.closure.copyPerTask}
 * says), and the driver the result object the task made, which nothing else references. With
 * {@code always} it encodes and decodes every description, binary, result, accumulator update and
 * failure exactly as a remote executor would.
 *
 * <p><b>Not a part of the public API</b>: these classes can change or disappear without notice.
 */
package dev.kindling.internal.scheduler.backend;
