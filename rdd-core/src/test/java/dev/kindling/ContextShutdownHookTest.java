package dev.kindling;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.scheduler.JobCancelledException;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM shutdown hook's body, run directly on one context: it cancels running jobs and closes it;
 * contexts leave its set when they close. (The real signals are sent in the shell module's
 * ShutdownSignalTest.)
 */
class ContextShutdownHookTest {

    @TempDir
    Path local;

    @Test
    void aContextIsRegisteredWhileOpenAndForgottenAtClose() {
        KindlingContext kc = Kindling.builder().master("local[1]").config(KindlingConf.LOCAL_DIR, local.toString()).build();
        assertTrue(ContextShutdownHook.isRegistered(kc));
        kc.close();
        assertFalse(ContextShutdownHook.isRegistered(kc));
    }

    @Test
    void whenTheHookRuns_thenTheRunningJobIsCancelledAndTheContextClosedWithItsScratchDirectory() throws Exception {
        KindlingContext kc = Kindling.builder().master("local[2]").config(KindlingConf.LOCAL_DIR, local.toString()).build();
        try {
            CountDownLatch started = new CountDownLatch(2);
            kc.addListener(new SchedulerListener() {
                @Override
                public void onTaskStart(SchedulerEvent.TaskStart event) {
                    started.countDown();
                }
            });
            CompletableFuture<Object> job = CompletableFuture.supplyAsync(() -> kc.parallelize(List.of(1, 2), 2).map(x -> {
                Thread.sleep(600_000);
                return x;
            }).collect());
            assertTrue(started.await(60, TimeUnit.SECONDS));
            Path scratch = kc.localDir();
            assertTrue(Files.isDirectory(scratch));

            ContextShutdownHook.close(List.of(kc)); // the hook's body, for this test's context only

            assertTrue(kc.isClosed());
            assertFalse(Files.exists(scratch), "the scratch directory is deleted");
            assertFalse(ContextShutdownHook.isRegistered(kc));
            Throwable failure = job.handle((r, e) -> e).get(60, TimeUnit.SECONDS);
            JobCancelledException cancelled = assertInstanceOf(JobCancelledException.class, failure.getCause());
            assertTrue(cancelled.getMessage().contains(ContextShutdownHook.REASON), cancelled::getMessage);
        } finally {
            kc.close();
        }
    }
}
