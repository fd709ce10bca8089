package dev.kindling.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/** The tiny job written by hand: count 1,000 ints held in two halves, one pool task per half. */
final class HandWrittenTinyJob {

    private HandWrittenTinyJob() {
    }

    /** The 1,000 ints 0..999 in two halves of 500, as the engines' two partitions hold them. */
    static int[][] halves() {
        int[][] halves = new int[2][500];
        for (int i = 0; i < 1000; i++) {
            halves[i / 500][i % 500] = i;
        }
        return halves;
    }

    /** Counts the elements of every half, one task per half on {@code pool}. */
    static long count(ForkJoinPool pool, int[][] halves) {
        List<ForkJoinTask<Long>> tasks = new ArrayList<>(halves.length);
        for (int[] half : halves) {
            tasks.add(pool.submit(() -> {
                long n = 0;
                for (int ignored : half) {
                    n++;
                }
                return n;
            }));
        }
        long total = 0;
        for (ForkJoinTask<Long> t : tasks) {
            total += t.join();
        }
        return total;
    }
}
