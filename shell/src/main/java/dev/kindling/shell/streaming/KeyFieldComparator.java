package dev.kindling.shell.streaming;

import java.io.Serializable;

/**
 * Hadoop's {@code KeyFieldBasedComparator} for streaming keys: orders map output keys by the
 * {@code -k} fields of {@code mapreduce.partition.keycomparator.options}, as bytes or, with
 * {@code n}, numerically, reversed with {@code r}, with the rules of Hadoop's implementation (not
 * GNU sort's, where they differ):
 * <ol>
 *   <li>Without options the whole key is compared as unsigned bytes (the default order).</li>
 *   <li>Numeric comparison reads an optional {@code -}, digits and an optional {@code .} fraction;
 *       leading zeros are skipped, {@code -0} equals {@code 0}; leading blanks and {@code +} are
 *       not skipped (a field that does not start with a digit, {@code -} or {@code .} compares by
 *       the count of digits it starts with, then by its first byte), and GNU sort's treatment of
 *       non-numbers as 0 does not apply.</li>
 *   <li>A missing field (the key has too few fields, or the start character is past the key's
 *       end) sorts first, last with {@code r}; two missing fields are equal here (Hadoop answers
 *       "less" both ways round, so its order then depends on the sort algorithm).</li>
 *   <li>Keys equal under every {@code -k} are equal for grouping; the runner then orders them by
 *       their bytes, then by value bytes, so that the output is deterministic (GNU sort's last
 *       resort compares whole lines, which gives the same order unless a key holds bytes below
 *       TAB).</li>
 * </ol>
 */
final class KeyFieldComparator implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final byte MINUS = '-';
    private static final byte ZERO = '0';
    private static final byte DOT = '.';

    private final KeyFieldSpecs specs;

    /** A comparator for the given specifications. */
    KeyFieldComparator(KeyFieldSpecs specs) {
        this.specs = specs;
    }

    /** Compares the keys {@code a[aFrom, aTo)} and {@code b[bFrom, bTo)}: negative, zero or positive. */
    int compare(byte[] a, int aFrom, int aTo, byte[] b, int bFrom, int bTo) {
        if (specs.specs().isEmpty()) {
            return compareBytes(a, aFrom, aTo - aFrom, b, bFrom, bTo - bFrom);
        }
        int[] selectedA = new int[selectionSize()];
        int[] selectedB = new int[selectionSize()];
        select(a, aFrom, aTo, selectedA, 0);
        select(b, bFrom, bTo, selectedB, 0);
        return compareSelected(a, selectedA, 0, b, selectedB, 0);
    }

    /** How many ints {@link #select} writes per key: the first and last byte of each {@code -k} (0 without options). */
    int selectionSize() {
        return 2 * specs.specs().size();
    }

    /**
     * Writes where each {@code -k} lies in the key {@code key[from, to)} into {@code out[at...]}:
     * first and last byte index, or -1 for a missing field. Sorting many keys computes this once
     * per key instead of once per comparison.
     */
    void select(byte[] key, int from, int to, int[] out, int at) {
        int[] lengths = specs.fieldLengths(key, from, to);
        for (KeyFieldSpecs.Spec s : specs.specs()) {
            int start = specs.start(from, to, lengths, s);
            out[at++] = start;
            out[at++] = start < 0 ? -1 : specs.end(from, to, lengths, s);
        }
    }

    /** Compares two keys by their selections made with {@link #select} (there must be options). */
    int compareSelected(byte[] a, int[] selectedA, int atA, byte[] b, int[] selectedB, int atB) {
        for (KeyFieldSpecs.Spec s : specs.specs()) {
            int startA = selectedA[atA];
            int endA = selectedA[atA + 1];
            int startB = selectedB[atB];
            int endB = selectedB[atB + 1];
            atA += 2;
            atB += 2;
            int c;
            if (startA < 0 || startB < 0) {
                c = startA < 0 && startB < 0 ? 0 : startA < 0 ? -1 : 1;
                c = s.reverse() ? -c : c;
            } else {
                c = s.numeric() ? numeric(a, startA, endA, b, startB, endB)
                        : compareBytes(a, startA, endA - startA + 1, b, startB, endB - startB + 1);
                c = s.reverse() ? -Integer.signum(c) : c;
            }
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Unsigned bytes, then length; a negative length counts as nothing selected. */
    private static int compareBytes(byte[] a, int aFrom, int aLength, byte[] b, int bFrom, int bLength) {
        for (int i = 0, n = Math.min(aLength, bLength); i < n; i++) {
            int c = (a[aFrom + i] & 0xff) - (b[bFrom + i] & 0xff);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(aLength, bLength);
    }

    private static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }

    /**
     * Hadoop's numeric comparison of {@code a[i..endA]} and {@code b[j..endB]} (inclusive ends):
     * signs first, then leading zeros skipped, then the integer parts by their number of digits
     * and first differing digit, then the fractions.
     */
    private static int numeric(byte[] a, int i, int endA, byte[] b, int j, int endB) {
        byte firstA = a[i];
        byte firstB = b[j];
        boolean negA = firstA == MINUS;
        boolean negB = firstB == MINUS;
        if (negA && !negB) {
            return bothZero(a, i + 1, endA, b, j, endB) ? 0 : -1;
        }
        if (negB && !negA) {
            return bothZero(b, j + 1, endB, a, i, endA) ? 0 : 1;
        }
        int sign = 1;
        if (negA) {
            i++;
            j++;
            sign = -1;
        }
        while (i <= endA && a[i] == ZERO) {
            i++;
        }
        while (j <= endB && b[j] == ZERO) {
            j++;
        }
        while (i <= endA && j <= endB && digit(a[i]) && a[i] == b[j]) {
            i++;
            j++;
        }
        if (i <= endA) {
            firstA = a[i];
        }
        if (j <= endB) {
            firstB = b[j];
        }
        if (firstA == DOT && (!digit(firstB) || j > endB) || firstB == DOT && (!digit(firstA) || i > endA)) {
            return sign * fractions(a, i, endA, b, j, endB);
        }
        int firstDifference = firstA - firstB;
        int digitsA = 0;
        while (i <= endA && digit(a[i++])) {
            digitsA++;
        }
        int digitsB = 0;
        while (j <= endB && digit(b[j++])) {
            digitsB++;
        }
        return sign * (digitsA != digitsB ? digitsA - digitsB : firstDifference);
    }

    /** Whether the negative number {@code a[i..endA]} (after its '-') and the other, {@code b}, are both zeros; Hadoop's -0 = 0 rule. */
    private static boolean bothZero(byte[] a, int i, int endA, byte[] b, int j, int endB) {
        return isZero(a, i, endA) && isZero(b, j, endB);
    }

    /** Whether {@code a[i..end]} reads as zero: zeros, then optionally '.' and zeros, then anything but a digit. */
    private static boolean isZero(byte[] a, int i, int end) {
        while (i <= end && a[i] == ZERO) {
            i++;
        }
        if (i <= end && a[i] != DOT && digit(a[i])) {
            return false;
        }
        if (i <= end && a[i++] == DOT) {
            while (i <= end && a[i] == ZERO) {
                i++;
            }
            return !(i <= end && digit(a[i]));
        }
        return true;
    }

    /** Compares what follows equal integer parts, at least one of which is at its '.' or its end. */
    private static int fractions(byte[] a, int i, int endA, byte[] b, int j, int endB) {
        if (i > endA) {
            return -nonZeroDigitFollows(b, j + 1, endB);
        }
        if (j > endB) {
            return nonZeroDigitFollows(a, i + 1, endA);
        }
        if (a[i] == DOT && b[j] == DOT) {
            for (; i <= endA && j <= endB; i++, j++) {
                if (a[i] != b[j]) {
                    if (digit(a[i]) && digit(b[j])) {
                        return a[i] - b[j];
                    }
                    return digit(a[i]) ? 1 : digit(b[j]) ? -1 : 0;
                }
            }
            if (i > endA && j > endB) {
                return 0;
            }
            return i > endA ? -nonZeroDigitFollows(b, j, endB) : nonZeroDigitFollows(a, i, endA);
        }
        if (a[i] == DOT) {
            return nonZeroDigitFollows(a, i + 1, endA);
        }
        if (b[j] == DOT) {
            return -nonZeroDigitFollows(b, j + 1, endB);
        }
        return 0;
    }

    /** 1 if a non-zero digit comes after the zeros at {@code a[i..end]}, else 0. */
    private static int nonZeroDigitFollows(byte[] a, int i, int end) {
        while (i <= end && a[i] == ZERO) {
            i++;
        }
        return i <= end && digit(a[i]) ? 1 : 0;
    }

    @Override
    public String toString() {
        return "KeyFieldComparator" + specs;
    }
}
