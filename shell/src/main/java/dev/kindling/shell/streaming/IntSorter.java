package dev.kindling.shell.streaming;

/**
 * Sorts a range of an {@code int[]} (record or group numbers) by a comparator over the ints,
 * without boxing them: a merge sort with insertion sort for short runs. Stable, so equal elements
 * keep their order.
 */
final class IntSorter {

    private static final int INSERTION_THRESHOLD = 24;

    /** Orders two ints (e.g. by the bytes of the records they number). */
    interface IntComparator {
        /** Negative, zero or positive as {@code a} sorts before, with or after {@code b}. */
        int compare(int a, int b);
    }

    private IntSorter() {
    }

    /** Sorts {@code a[from, to)} by {@code order}. */
    static void sort(int[] a, int from, int to, IntComparator order) {
        if (to - from <= INSERTION_THRESHOLD) {
            insertionSort(a, from, to, order);
            return;
        }
        int[] buffer = new int[to - from];
        mergeSort(a, from, to, buffer, order);
    }

    private static void mergeSort(int[] a, int from, int to, int[] buffer, IntComparator order) {
        if (to - from <= INSERTION_THRESHOLD) {
            insertionSort(a, from, to, order);
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(a, from, mid, buffer, order);
        mergeSort(a, mid, to, buffer, order);
        if (order.compare(a[mid - 1], a[mid]) <= 0) {
            return;
        }
        int left = mid - from;
        System.arraycopy(a, from, buffer, 0, left);
        int i = 0;
        int j = mid;
        int k = from;
        while (i < left && j < to) {
            if (order.compare(a[j], buffer[i]) < 0) {
                a[k++] = a[j++];
            } else {
                a[k++] = buffer[i++];
            }
        }
        System.arraycopy(buffer, i, a, k, left - i);
    }

    private static void insertionSort(int[] a, int from, int to, IntComparator order) {
        for (int i = from + 1; i < to; i++) {
            int x = a[i];
            int j = i - 1;
            while (j >= from && order.compare(a[j], x) > 0) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = x;
        }
    }
}
