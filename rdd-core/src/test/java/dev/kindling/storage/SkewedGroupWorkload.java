package dev.kindling.storage;

import dev.kindling.internal.ContextInternals;
import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The program {@link LowHeapOperatorSuiteTest} runs in a separate small-heap JVM to check that one
 * groupByKey key holding {@code skew.budgets} (default 1.5) times the memory budget fails with a
 * {@link MemoryLimitExceededException}, not an OutOfMemoryError. Prints {@code LIMIT <message>}
 * when the job failed with that cause, {@code OTHER <failure>} or {@code SUCCEEDED} otherwise, then
 * {@code OOM_TASKS n}, and after that the result of a normal job on the same context as
 * {@code NEXT_JOB <count>}.
 */
public final class SkewedGroupWorkload {

    private SkewedGroupWorkload() {
    }

    public static void main(String[] args) {
        AtomicLong oomTasks = new AtomicLong();
        double budgets = Double.parseDouble(System.getProperty("skew.budgets", "1.5"));
        try (KindlingContext kc = Kindling.builder().master("local[2]").build()) {
            kc.addListener(new SchedulerListener() {
                @Override
                public void onTaskEnd(SchedulerEvent.TaskEnd event) {
                    for (Throwable c = event.failure(); c != null; c = c.getCause() == c ? null : c.getCause()) {
                        if (c instanceof OutOfMemoryError) {
                            oomTasks.incrementAndGet();
                            System.out.println("OOM in stage " + event.stageId() + ": " + c);
                            break;
                        }
                    }
                }
            });
            long n = (long) (budgets * ContextInternals.of(kc).memoryManager().maxBytes() / LowHeapOperatorSuite.RECORD_BYTES);
            System.out.println("BUDGET " + ContextInternals.of(kc).memoryManager().maxBytes() + " RECORDS " + n);
            try {
                long groups = kc.range(0, n, 1, 4)
                        .mapToPair(i -> Pair.of(i % 100 == 0 ? "k" + i : "hot", LowHeapOperatorSuite.payload(i)))
                        .groupByKey(3).count();
                System.out.println("SUCCEEDED " + groups);
            } catch (RuntimeException e) {
                Throwable c = e;
                while (c != null && !(c instanceof MemoryLimitExceededException)) {
                    c = c.getCause();
                }
                System.out.println(c != null ? "LIMIT " + c.getMessage() : "OTHER " + e);
            }
            System.out.println("OOM_TASKS " + oomTasks.get());
            System.out.println("NEXT_JOB " + kc.range(0, 1000, 1, 4).map(i -> i * 2).count());
        }
    }
}
