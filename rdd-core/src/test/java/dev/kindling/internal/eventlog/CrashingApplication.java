package dev.kindling.internal.eventlog;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A program for {@link EventLogCrashTest}: runs two jobs with the event log on (directory in
 * {@code args[0]}), starts a third whose task never ends, prints its application id and waits to be
 * killed. It never closes its context.
 */
public final class CrashingApplication {

    private static final CountDownLatch NEVER = new CountDownLatch(1);

    private CrashingApplication() {
    }

    /** Runs the application; see the class comment. */
    public static void main(String[] args) throws Exception {
        KindlingContext kc = Kindling.builder().master("local[2]").config(EventLogWriter.ENABLED, "true")
                .config(EventLogWriter.DIR, args[0]).build();
        List<Integer> data = IntStream.range(0, 100).boxed().collect(Collectors.toList());
        kc.parallelize(data, 3).count();
        kc.parallelize(data, 4).mapToPair(x -> Pair.of(x % 3, x)).reduceByKey(Integer::sum, 2).collect();
        kc.parallelize(List.of(1), 1).map(x -> {
            NEVER.await();
            return x;
        }).countAsync();
        System.out.println(kc.applicationId());
        System.out.flush();
        NEVER.await();
    }
}
