package dev.kindling.reliability;

import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import java.util.ArrayList;
import java.util.List;

/**
 * A listener that keeps every scheduler event in arrival order, for tests to count attempts and
 * check ordering and metrics. Thread safe: events arrive on the scheduler's event thread.
 */
final class EventRecorder implements SchedulerListener {

    private final List<SchedulerEvent> events = new ArrayList<>();

    synchronized void clear() {
        events.clear();
    }

    /** A snapshot of the events received so far. */
    synchronized List<SchedulerEvent> events() {
        return new ArrayList<>(events);
    }

    /** The events of one type received so far. */
    <E extends SchedulerEvent> List<E> of(Class<E> type) {
        List<E> out = new ArrayList<>();
        for (SchedulerEvent e : events()) {
            if (type.isInstance(e)) {
                out.add(type.cast(e));
            }
        }
        return out;
    }

    private synchronized void add(SchedulerEvent e) {
        events.add(e);
    }

    @Override
    public void onJobStart(SchedulerEvent.JobStart event) {
        add(event);
    }

    @Override
    public void onJobEnd(SchedulerEvent.JobEnd event) {
        add(event);
    }

    @Override
    public void onStageSubmitted(SchedulerEvent.StageSubmitted event) {
        add(event);
    }

    @Override
    public void onStageCompleted(SchedulerEvent.StageCompleted event) {
        add(event);
    }

    @Override
    public void onTaskStart(SchedulerEvent.TaskStart event) {
        add(event);
    }

    @Override
    public void onTaskEnd(SchedulerEvent.TaskEnd event) {
        add(event);
    }
}
