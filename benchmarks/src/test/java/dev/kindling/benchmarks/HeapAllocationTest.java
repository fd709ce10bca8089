package dev.kindling.benchmarks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class HeapAllocationTest {

    private static final int MIB = 1 << 20;

    /** Keeps the arrays' contents observable so no allocation can be dropped as dead. */
    private static volatile long sink;

    private static void allocate(int mebibytes) {
        long s = 0;
        for (int i = 0; i < mebibytes; i++) {
            byte[] b = new byte[MIB];
            b[i % MIB] = (byte) i;
            s += b[i % MIB];
        }
        sink += s;
    }

    @Test
    void countsWhatAPooledThreadAndAThreadStartedLaterAllocate() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            pool.submit(() -> allocate(1)).get(); // the pool's thread exists before counting starts
            assertTrue(HeapAllocation.supported(), "HotSpot counts allocation per thread");
            HeapAllocation a = HeapAllocation.start();

            pool.submit(() -> allocate(64)).get();
            CountDownLatch done = new CountDownLatch(1);
            CountDownLatch measured = new CountDownLatch(1);
            Thread late = new Thread(() -> {
                allocate(32);
                done.countDown();
                try {
                    measured.await(); // alive while counted: an ended thread's bytes are gone
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            late.start();
            done.await();
            long bytes = a.bytes();
            measured.countDown();
            late.join();

            // 96 arrays of 1 MiB (plus a 16-byte header each), and little else: the test's own
            // threads and the test runner's allocate kilobytes meanwhile.
            assertTrue(bytes >= 96L * MIB, bytes + " bytes counted, 96 MiB allocated");
            assertTrue(bytes < 96L * MIB + 16 * MIB, bytes + " bytes counted, 96 MiB allocated");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void countsNothingBeforeAnyAllocationAfterStart() {
        HeapAllocation a = HeapAllocation.start();
        long first = a.bytes();
        allocate(8);
        long second = a.bytes();
        assertTrue(first < MIB, "just started: " + first);
        assertTrue(second - first >= 8L * MIB, "8 MiB later: " + first + " then " + second);
    }
}
