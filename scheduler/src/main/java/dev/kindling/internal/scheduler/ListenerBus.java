package dev.kindling.internal.scheduler;

import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers scheduler events to listeners on the calling (event) thread, isolating their failures. */
final class ListenerBus {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerBus.class);
    private final List<SchedulerListener> listeners = new CopyOnWriteArrayList<>();

    void add(SchedulerListener listener) {
        listeners.add(listener);
    }

    void remove(SchedulerListener listener) {
        listeners.remove(listener);
    }

    void post(SchedulerEvent event) {
        for (SchedulerListener l : listeners) {
            try {
                event.deliverTo(l);
            } catch (Throwable e) {
                // Even an Error (an assertion in a test listener, say) must not abort the scheduler's
                // event handling half-way, which would leave jobs waiting forever.
                Throwables.warn(LOG, "Listener " + l.getClass().getName() + " failed on "
                        + event.getClass().getSimpleName() + "; ignoring", e);
            }
        }
    }
}
