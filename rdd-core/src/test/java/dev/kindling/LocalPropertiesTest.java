package dev.kindling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.testing.LocalContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link KindlingContext#setLocalProperty}, seen by tasks through {@link TaskContext#getLocalProperty}, as Spark's. */
@ExtendWith(LocalContext.class)
class LocalPropertiesTest {

    /** The property each task of a two-stage job saw: map-side tasks tagged "m", result tasks "r". */
    private static Set<String> seenByEveryTask(KindlingContext kc) {
        List<Integer> data = IntStream.range(0, 40).boxed().collect(Collectors.toList());
        List<String> seen = kc.parallelize(data, 4)
                .mapToPair(x -> Pair.of(x % 3, "m=" + TaskContext.get().getLocalProperty("team")))
                .groupByKey(3).rdd()
                .mapPartitions(it -> {
                    List<String> out = new ArrayList<>();
                    it.forEachRemaining(p -> p.value().forEach(out::add));
                    out.add("r=" + TaskContext.get().getLocalProperty("team"));
                    return out.iterator();
                }).collect();
        assertEquals(40 + 3, seen.size(), "one value per element and one per result task: " + seen);
        return new TreeSet<>(seen);
    }

    @Test
    void aPropertySetOnTheDriverThreadIsSeenByEveryTaskOfItsJobsOnly(KindlingContext kc) throws Exception {
        kc.setLocalProperty("team", "blue");
        assertEquals("blue", kc.getLocalProperty("team"));
        assertEquals(Set.of("m=blue", "r=blue"), seenByEveryTask(kc));

        // A thread of a pool created before the property was set did not inherit it.
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            kc.setLocalProperty("team", null);
            other.submit(() -> { }).get(30, TimeUnit.SECONDS); // the pool thread now exists, without "team"
            kc.setLocalProperty("team", "blue");
            assertNull(other.submit(() -> kc.getLocalProperty("team")).get(30, TimeUnit.SECONDS));
            assertEquals(Set.of("m=null", "r=null"), other.submit(() -> seenByEveryTask(kc)).get(30, TimeUnit.SECONDS));
            // Setting it there does not change the driver thread's value.
            other.submit(() -> kc.setLocalProperty("team", "red")).get(30, TimeUnit.SECONDS);
            assertEquals(Set.of("m=red", "r=red"), other.submit(() -> seenByEveryTask(kc)).get(30, TimeUnit.SECONDS));
            assertEquals(Set.of("m=blue", "r=blue"), seenByEveryTask(kc));
        } finally {
            other.shutdownNow();
        }
        kc.setLocalProperty("team", null);
        assertNull(kc.getLocalProperty("team"));
        assertEquals(Set.of("m=null", "r=null"), seenByEveryTask(kc));
    }

    @Test
    void aThreadStartsWithACopyOfItsParentsProperties(KindlingContext kc) throws Exception {
        kc.setLocalProperty("team", "blue");
        List<String> childSaw = Collections.synchronizedList(new ArrayList<>());
        Thread child = new Thread(() -> {
            childSaw.add(kc.getLocalProperty("team"));
            kc.setLocalProperty("team", "green");
            childSaw.addAll(seenByEveryTask(kc));
        });
        kc.setLocalProperty("other", "after-start"); // set after the child was created: not inherited
        child.start();
        child.join(TimeUnit.SECONDS.toMillis(60));
        assertEquals(List.of("blue", "m=green", "r=green"), childSaw);
        assertEquals("blue", kc.getLocalProperty("team"), "the child's change must not reach the parent");
        kc.setLocalProperty("team", null);
        kc.setLocalProperty("other", null);
    }

    @Test
    void theJobDescriptionNamesTheJobInJobStartEvents(KindlingContext kc) {
        List<SchedulerEvent.JobStart> starts = Collections.synchronizedList(new ArrayList<>());
        SchedulerListener listener = new SchedulerListener() {
            @Override
            public void onJobStart(SchedulerEvent.JobStart event) {
                starts.add(event);
            }
        };
        kc.addListener(listener);
        try {
            kc.setJobDescription("nightly totals");
            assertEquals("nightly totals", kc.getLocalProperty(KindlingContext.JOB_DESCRIPTION));
            assertEquals(List.of("nightly totals"), kc.range(0, 4).map(x ->
                    TaskContext.get().getLocalProperty(KindlingContext.JOB_DESCRIPTION)).distinct().collect());
            kc.setJobDescription(null);
            kc.setJobGroup("g1", "grouped");
            assertEquals(4L, kc.range(0, 4).count());
            kc.clearJobGroup();
            assertNull(kc.getLocalProperty(KindlingContext.JOB_GROUP_ID));
            assertEquals(4L, kc.range(0, 4).count());
        } finally {
            kc.removeListener(listener);
        }
        // Events arrive on the scheduler's thread; each job's start precedes its end, which the action waited for.
        assertEquals(3, starts.size(), starts.toString());
        assertEquals("nightly totals", starts.get(0).description());
        assertNull(starts.get(0).jobGroup());
        assertEquals("grouped", starts.get(1).description());
        assertEquals("g1", starts.get(1).jobGroup());
        assertNull(starts.get(2).jobGroup());
        assertTrue(starts.get(2).description().startsWith("count at "), "the call site again: " + starts.get(2));
    }
}
