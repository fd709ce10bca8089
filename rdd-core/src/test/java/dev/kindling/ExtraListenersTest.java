package dev.kindling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Listeners named in kindling.extraListeners are created, registered and closed with the context. */
class ExtraListenersTest {

    /** Records what it saw, in static lists (it is created by reflection). */
    public static final class Recording implements SchedulerListener, AutoCloseable {
        static final List<String> SEEN = new CopyOnWriteArrayList<>();

        public Recording(KindlingConf conf) {
            SEEN.add("created for " + conf.get(KindlingConf.APP_NAME, "?"));
        }

        @Override
        public void onJobEnd(SchedulerEvent.JobEnd event) {
            SEEN.add("job " + event.jobId() + " ended");
        }

        @Override
        public void close() {
            SEEN.add("closed");
        }
    }

    @Test
    void whenAListenerClassIsNamed_thenItSeesTheContextsJobsAndIsClosedWithIt() {
        Recording.SEEN.clear();
        try (KindlingContext kc = Kindling.builder().master("local[2]").appName("listened")
                .config(KindlingConf.EXTRA_LISTENERS, " " + Recording.class.getName() + " ,").build()) {
            assertEquals(3L, kc.parallelize(List.of(1, 2, 3), 2).count());
        }
        assertEquals(List.of("created for listened", "job 0 ended", "closed"), Recording.SEEN);
    }

    @Test
    void whenTheClassDoesNotExist_thenTheErrorNamesTheKeyAndTheClass() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kindling.builder()
                .master("local[1]").config(KindlingConf.EXTRA_LISTENERS, "com.example.Missing").build());
        assertTrue(e.getMessage().contains("kindling.extraListeners names com.example.Missing, which is not on the class path"),
                e.getMessage());
    }

    @Test
    void whenTheClassIsNotAListener_thenTheErrorSaysWhatItMustImplement() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kindling.builder()
                .master("local[1]").config(KindlingConf.EXTRA_LISTENERS, String.class.getName()).build());
        assertTrue(e.getMessage().contains("does not implement dev.kindling.scheduler.SchedulerListener"), e.getMessage());
    }

    /** Takes the context itself, as the status UI does; records the context's application id. */
    public static final class ContextTaking implements SchedulerListener, AutoCloseable {
        static final List<String> SEEN = new CopyOnWriteArrayList<>();

        public ContextTaking(KindlingContext context) {
            SEEN.add("created for " + context.applicationId() + " open=" + !context.isClosed());
        }

        @Override
        public void onJobEnd(SchedulerEvent.JobEnd event) {
            SEEN.add("job " + event.jobId() + " ended");
        }

        @Override
        public void close() {
            SEEN.add("closed");
        }
    }

    /** Fails in its constructor, after a listener before it in the list was created. */
    public static final class Failing implements SchedulerListener {
        public Failing(KindlingContext context) {
            throw new IllegalStateException("no port for you");
        }
    }

    @Test
    void whenAListenerTakesTheContext_thenItGetsTheReadyContextAndIsClosedWithIt() {
        ContextTaking.SEEN.clear();
        String appId;
        try (KindlingContext kc = Kindling.builder().master("local[2]")
                .config(KindlingConf.EXTRA_LISTENERS, ContextTaking.class.getName()).build()) {
            appId = kc.applicationId();
            assertEquals(3L, kc.parallelize(List.of(1, 2, 3), 2).count());
        }
        assertEquals(List.of("created for " + appId + " open=true", "job 0 ended", "closed"), ContextTaking.SEEN);
    }

    @Test
    void whenAContextTakingListenerFails_thenTheBuildFailsAndTheListenersCreatedBeforeAreClosed() {
        ContextTaking.SEEN.clear();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kindling.builder()
                .master("local[1]").config(KindlingConf.EXTRA_LISTENERS,
                        ContextTaking.class.getName() + "," + Failing.class.getName()).build());
        assertTrue(e.getMessage().contains("Creating listener " + Failing.class.getName()), e.getMessage());
        assertEquals("no port for you", e.getCause().getMessage());
        assertEquals(2, ContextTaking.SEEN.size(), ContextTaking.SEEN.toString());
        assertEquals("closed", ContextTaking.SEEN.get(1));
    }

    @Test
    void whenTheUiIsEnabledWithoutTheShellJar_thenTheErrorNamesTheKeyAndTheJar() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kindling.builder()
                .master("local[1]").config("kindling.ui.enabled", "true").build());
        assertTrue(e.getMessage().contains("kindling.ui.enabled=true needs the status UI of the kindling-shell jar"),
                e.getMessage());
    }
}
