package dev.kindling.internal.scheduler;

import dev.kindling.internal.executor.OutputCommits;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides, on the driver, which task attempt may commit each partition's output, as Spark's
 * {@code OutputCommitCoordinator}: the first attempt to ask for a partition of a running stage wins;
 * every other attempt is denied while the winner holds the permission; the scheduler releases it
 * when the winning attempt fails or is lost ({@link #taskFailed}), so a retry can commit. Asking for
 * a stage that is not running is denied.
 *
 * <p>It also keeps the save jobs in progress ({@link #registerOutput}), so a writing task can tell
 * whether its job still accepts writers ({@link #enter}/{@link #exit}) by the job's tag, never by a
 * reference to the driver's object.
 *
 * <p>Thread safety: all methods may be called from any thread (tasks ask from executor threads, the
 * scheduler tells from its event thread).
 */
public final class OutputCommitCoordinator implements OutputCommits {

    /** A save job's side of {@link #enter}/{@link #exit}. */
    public interface OutputJob {
        /** Admits a writer; false once the job has ended. */
        boolean enter();

        /** A writer has ended. */
        void exit();
    }

    private record Attempt(int stageAttempt, int attemptNumber) {
    }

    /** Running stages: partition to the attempt holding its permission. */
    private final Map<Integer, Map<Integer, Attempt>> stages = new HashMap<>();
    private final Map<String, OutputJob> outputs = new ConcurrentHashMap<>();

    /** A stage starts running (idempotent): its attempts may ask. */
    public synchronized void stageStarted(int stageId) {
        stages.computeIfAbsent(stageId, id -> new HashMap<>());
    }

    /** A stage ended or was dropped: its permissions are forgotten and later questions denied. */
    public synchronized void stageEnded(int stageId) {
        stages.remove(stageId);
    }

    @Override
    public synchronized boolean canCommit(int stageId, int stageAttempt, int partition, int attemptNumber) {
        Map<Integer, Attempt> committers = stages.get(stageId);
        if (committers == null) {
            return false;
        }
        Attempt asking = new Attempt(stageAttempt, attemptNumber);
        Attempt holder = committers.putIfAbsent(partition, asking);
        return holder == null || holder.equals(asking);
    }

    /** An attempt failed or was lost: if it held its partition's permission, the permission is released. */
    public synchronized void taskFailed(int stageId, int stageAttempt, int partition, int attemptNumber) {
        Map<Integer, Attempt> committers = stages.get(stageId);
        if (committers != null) {
            committers.remove(partition, new Attempt(stageAttempt, attemptNumber));
        }
    }

    /** Makes a save job known to its writers by {@code jobTag}, until {@link #unregisterOutput}. */
    public void registerOutput(String jobTag, OutputJob job) {
        outputs.put(Objects.requireNonNull(jobTag, "jobTag"), Objects.requireNonNull(job, "job"));
    }

    /** Forgets a save job: its late writers are refused. */
    public void unregisterOutput(String jobTag) {
        outputs.remove(jobTag);
    }

    @Override
    public boolean enter(String jobTag) {
        OutputJob job = outputs.get(jobTag);
        return job != null && job.enter();
    }

    @Override
    public void exit(String jobTag) {
        OutputJob job = outputs.get(jobTag);
        if (job != null) {
            job.exit();
        }
    }

    /** Number of running stages known; for the scheduler's empty-state checks. */
    synchronized int stagesKnown() {
        return stages.size();
    }
}
