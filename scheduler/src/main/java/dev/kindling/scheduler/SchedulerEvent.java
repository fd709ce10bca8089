package dev.kindling.scheduler;

import java.util.List;

/**
 * Events the scheduler reports to {@link SchedulerListener}s: job, stage and task starts and ends,
 * with metrics, and executors joining and leaving. The progress bar, logs and status pages are built
 * on these.
 */
public sealed interface SchedulerEvent {

    /** Milliseconds since the epoch when the event happened. */
    long time();

    /** Calls the method of {@code listener} that takes this kind of event. */
    void deliverTo(SchedulerListener listener);

    /**
     * A job was submitted; {@code stageIds} are the stages it may run (some may be skipped), and
     * {@code stageInfos} describe them (with their RDDs and parent stages, for a picture of the job's
     * graph); {@code stageInfos} is empty when the job's graph could not be planned, and in event logs
     * written before it existed.
     */
    record JobStart(long time, int jobId, String description, String jobGroup, List<Integer> stageIds,
                    List<StageInfo> stageInfos) implements SchedulerEvent {

        /** A job start without stage descriptions. */
        public JobStart(long time, int jobId, String description, String jobGroup, List<Integer> stageIds) {
            this(time, jobId, description, jobGroup, stageIds, List.of());
        }

        @Override
        public void deliverTo(SchedulerListener listener) {
            listener.onJobStart(this);
        }
    }

    /** A job ended; {@code failure} is null on success. */
    record JobEnd(long time, int jobId, Throwable failure) implements SchedulerEvent {
        @Override
        public void deliverTo(SchedulerListener listener) {
            listener.onJobEnd(this);
        }

        /** Whether the job succeeded. */
        public boolean succeeded() {
            return failure == null;
        }
    }

    /** A stage's tasks were queued. */
    record StageSubmitted(long time, StageInfo stage) implements SchedulerEvent {
        @Override
        public void deliverTo(SchedulerListener listener) {
            listener.onStageSubmitted(this);
        }
    }

    /** A stage finished; {@code failureReason} is null on success. */
    record StageCompleted(long time, StageInfo stage, String failureReason) implements SchedulerEvent {
        @Override
        public void deliverTo(SchedulerListener listener) {
            listener.onStageCompleted(this);
        }
    }

    /** A task attempt started on an executor thread. */
    record TaskStart(long time, int stageId, int stageAttempt, TaskInfo task) implements SchedulerEvent {
        @Override
        public void deliverTo(SchedulerListener listener) {
            listener.onTaskStart(this);
        }
    }

    /** A task attempt ended; {@code failure} is null on success. */
    record TaskEnd(long time, int stageId, int stageAttempt, TaskInfo task, TaskMetrics metrics, String status,
                   Throwable failure) implements SchedulerEvent {
        @Override
        public void deliverTo(SchedulerListener listener) {
            listener.onTaskEnd(this);
        }

        /** Whether the attempt succeeded. */
        public boolean succeeded() {
            return failure == null;
        }
    }

    /**
     * An executor joined, as Spark's {@code SparkListenerExecutorAdded}: the driver's own executor
     * ({@code "driver"}, announced once when the context starts) or an executor process that registered.
     *
     * @param executorId its id
     * @param host       the host it serves on
     * @param port       its server's port, or -1 when it has none (the driver in local mode)
     * @param cores      its task slots (0 for the driver when executor processes run the tasks)
     */
    record ExecutorAdded(long time, String executorId, String host, int port, int cores) implements SchedulerEvent {
        @Override
        public void deliverTo(SchedulerListener listener) {
            listener.onExecutorAdded(this);
        }

        /** {@code host:port}, or the host alone when there is no port. */
        public String hostPort() {
            return port < 0 ? host : host + ":" + port;
        }
    }

    /**
     * An executor left, as Spark's {@code SparkListenerExecutorRemoved}: its process exited or was
     * killed, its heartbeats stopped, or the context stopped it at close; {@code reason} says which.
     */
    record ExecutorRemoved(long time, String executorId, String reason) implements SchedulerEvent {
        @Override
        public void deliverTo(SchedulerListener listener) {
            listener.onExecutorRemoved(this);
        }
    }

    /**
     * An executor stored or dropped a cached RDD partition, as Spark's {@code SparkListenerBlockUpdated}
     * (posted on {@code local-cluster}, where executor processes report their cached blocks).
     *
     * @param executorId   the executor that holds (or held) the block
     * @param rddId        the RDD
     * @param partition    its partition
     * @param storageLevel the RDD's storage level name when the block was stored ({@code UNKNOWN} when the
     *                     scheduler has not described the RDD), or null when it was removed
     * @param memoryBytes  its size in memory, or -1 when not known
     * @param diskBytes    its size on disk, or -1 when not known
     */
    record BlockUpdated(long time, String executorId, int rddId, int partition, String storageLevel,
                        long memoryBytes, long diskBytes) implements SchedulerEvent {
        @Override
        public void deliverTo(SchedulerListener listener) {
            listener.onBlockUpdated(this);
        }

        /** Whether the block was removed (rather than stored). */
        public boolean removed() {
            return storageLevel == null;
        }
    }

    /**
     * Description of a stage attempt: {@code parentIds} are the stages whose shuffle output it reads,
     * {@code rdds} the RDDs its tasks compute, the stage's own (last) RDD first. Both lists are empty
     * in event logs written before they existed.
     */
    record StageInfo(int stageId, int attempt, String name, int numTasks, boolean shuffleMap,
                     List<Integer> parentIds, List<RddInfo> rdds) {

        /** A stage description without its graph. */
        public StageInfo(int stageId, int attempt, String name, int numTasks, boolean shuffleMap) {
            this(stageId, attempt, name, numTasks, shuffleMap, List.of(), List.of());
        }
    }

    /**
     * One RDD of a stage, as Spark's {@code RDDInfo}: {@code name} is the name given with
     * {@code setName}, else the RDD's class name; {@code callSite} where it was created (its
     * {@code describe()}); {@code storageLevel} the name of its storage level ({@code NONE} when not
     * persisted); {@code parentIds} the RDDs it depends on, through narrow or shuffle dependencies.
     */
    record RddInfo(int id, String name, String callSite, int numPartitions, String storageLevel,
                   List<Integer> parentIds) {

        /** Whether the RDD is persisted (its storage level is not {@code NONE}). */
        public boolean cached() {
            return storageLevel != null && !storageLevel.equals("NONE");
        }
    }

    /**
     * Description of a task attempt: {@code executorId} is the executor that ran it ({@code "driver"} in
     * local mode, and in event logs written before it was recorded; empty while it was never placed),
     * {@code executorThread} the thread there, and {@code locality} how close that executor was to the
     * task's input, as Spark's {@code taskLocality}.
     */
    record TaskInfo(long taskId, int partition, int attempt, String executorThread, String executorId,
                    TaskLocality locality) {

        /** The id of the driver's own executor, which runs the tasks in local mode. */
        public static final String DRIVER = "driver";

        /** Checks the parts; a null executor id is empty, a null locality {@link TaskLocality#ANY}. */
        public TaskInfo {
            executorId = executorId == null ? "" : executorId;
            locality = locality == null ? TaskLocality.ANY : locality;
        }

        /** A task attempt on executor {@code executorId}, with no locality recorded ({@link TaskLocality#ANY}). */
        public TaskInfo(long taskId, int partition, int attempt, String executorThread, String executorId) {
            this(taskId, partition, attempt, executorThread, executorId, TaskLocality.ANY);
        }

        /** A task attempt of the local executor ({@code "driver"}, {@link TaskLocality#PROCESS_LOCAL}). */
        public TaskInfo(long taskId, int partition, int attempt, String executorThread) {
            this(taskId, partition, attempt, executorThread, DRIVER, TaskLocality.PROCESS_LOCAL);
        }
    }
}
