package dev.kindling;

import dev.kindling.scheduler.TaskContext;
import dev.kindling.internal.scheduler.TaskOutcomeObserver;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A context's accumulators: registers them, and merges the updates of successful task attempts
 * into the driver's objects by the counting rule of {@link AccumulatorV2} (result-stage updates
 * once per partition, on the first success; shuffle-map updates on every success).
 *
 * <p>Ids are unique in the JVM. The context keeps its accumulators weakly, by id (no JVM-wide
 * registry: a task's copy is made from the id it carries, and its updates come back in the task's
 * status update, to be merged here), so an accumulator the program no longer references can be
 * garbage collected; the context's {@link ContextCleaner} removes an entry once its accumulator is
 * collected. A context forgets its accumulators when it closes.
 *
 * <p>Thread safety: {@link #onTaskSucceeded} runs on the scheduler's event thread; registration on
 * any thread.
 */
final class Accumulators implements TaskOutcomeObserver {

    private static final Logger LOG = LoggerFactory.getLogger(Accumulators.class);

    private static final AtomicLong NEXT_ID = new AtomicLong();
    private final Map<Long, WeakReference<AccumulatorV2<?, ?>>> registered = new ConcurrentHashMap<>();
    private final ContextCleaner cleaner;

    /** Accumulators whose registry entries {@code cleaner} removes once they are collected. */
    Accumulators(ContextCleaner cleaner) {
        this.cleaner = cleaner;
    }

    /** The registered accumulator with this id, or null if none is alive. */
    AccumulatorV2<?, ?> lookup(long id) {
        WeakReference<AccumulatorV2<?, ?>> ref = registered.get(id);
        return ref == null ? null : ref.get();
    }

    /** Whether the context still has an entry for {@code id} (alive or not yet cleaned up). */
    boolean hasEntry(long id) {
        return registered.containsKey(id);
    }

    /** Gives {@code acc} an id and a name (may be null) and makes it usable in tasks. */
    <A extends AccumulatorV2<?, ?>> A register(A acc, String name) {
        synchronized (acc) {
            if (acc.isRegistered()) {
                throw new IllegalStateException("Accumulator " + acc.id() + (acc.name().map(n -> " (" + n + ")").orElse(""))
                        + " is already registered; create a new accumulator instead of registering one twice");
            }
            long id = NEXT_ID.getAndIncrement();
            acc.markRegistered(id, name);
            registered.put(id, new WeakReference<>(acc));
            // the action must not capture acc, or acc would never become unreachable
            cleaner.register(acc, "accumulator " + id, () -> forget(id));
        }
        return acc;
    }

    @Override
    public void onTaskSucceeded(Map<Long, Object> accumulatorUpdates, String task, boolean resultTask,
                                boolean firstSuccess) {
        if (resultTask && !firstSuccess) {
            return; // an action's updates count once per partition
        }
        for (Map.Entry<Long, Object> e : accumulatorUpdates.entrySet()) {
            long id = e.getKey();
            if (!(e.getValue() instanceof AccumulatorV2<?, ?> update) || update.isZero()) {
                continue;
            }
            AccumulatorV2<?, ?> target = lookup(id);
            if (target == null) {
                LOG.debug("Dropping an update of accumulator {}: the program no longer references it", id);
                continue;
            }
            try {
                mergeInto(target, update);
            } catch (RuntimeException ex) {
                LOG.warn("Merging the update of {} into accumulator {} failed; that update is lost", task, target, ex);
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void mergeInto(AccumulatorV2 target, AccumulatorV2 update) {
        synchronized (target) {
            target.merge(update);
        }
    }

    /** Forgets this context's accumulators; they keep their values as plain objects. */
    void close() {
        for (Long id : List.copyOf(registered.keySet())) {
            WeakReference<AccumulatorV2<?, ?>> ref = registered.remove(id);
            AccumulatorV2<?, ?> acc = ref == null ? null : ref.get();
            if (acc != null) {
                acc.forgetDriverSide();
            }
        }
    }

    private void forget(long id) {
        registered.remove(id);
    }
}
