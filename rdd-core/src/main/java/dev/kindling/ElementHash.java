package dev.kindling;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The 64-bit hash that {@link RDDActions#countApproxDistinct} and
 * {@link PairRDD#countApproxDistinctByKey} feed to their HyperLogLog sketches: what decides which
 * elements count as the same one.
 *
 * <p>Rules:
 * <ol>
 *   <li>Equal elements (by {@code equals}) hash equally, in every JVM: no identity hash codes, so
 *       sketches built by executors in other processes merge correctly.</li>
 *   <li>Strings, boxed primitives, {@code byte[]} (by content, as Spark), enums (by class name and
 *       ordinal), {@link Pair}, {@link Triple}, lists and sets are hashed from their contents into
 *       64 bits, so unequal values almost never collide; each type is salted, so {@code 1},
 *       {@code 1L} and {@code "1"} are three values (as {@code distinct()} counts them).</li>
 *   <li>Any other type is hashed from its {@code hashCode()}: at most 2^32 different values, and
 *       unequal elements with equal hash codes count once.</li>
 *   <li>{@code null} is one value with its own hash (Spark counts it too).</li>
 * </ol>
 * The result need not be uniform: the sketch hashes it again (MurmurHash3); it must only avoid
 * collisions.
 *
 * <p>Thread safety: stateless.
 */
final class ElementHash {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final long STEP = 0xC2B2AE3D27D4EB4FL;
    private static final long NULL = 0x2545F4914F6CDD1DL;
    private static final long STRING = 1;
    private static final long LONG = 2;
    private static final long INTEGER = 3;
    private static final long SHORT = 4;
    private static final long BYTE = 5;
    private static final long DOUBLE = 6;
    private static final long FLOAT = 7;
    private static final long CHARACTER = 8;
    private static final long BOOLEAN = 9;
    private static final long BYTES = 10;
    private static final long ENUM = 11;
    private static final long PAIR = 12;
    private static final long TRIPLE = 13;
    private static final long LIST = 14;
    private static final long SET = 15;
    private static final long OTHER = 16;
    private static final long ENTRY = 17;

    private ElementHash() {
    }

    /** The 64-bit hash of {@code o} under the rules above. */
    static long hash64(Object o) {
        if (o == null) {
            return NULL;
        }
        if (o instanceof String s) {
            long h = start(STRING);
            for (int i = 0; i < s.length(); i++) {
                h = step(h, s.charAt(i));
            }
            return fmix64(h ^ s.length());
        }
        if (o instanceof Long x) {
            return value(LONG, x);
        }
        if (o instanceof Integer x) {
            return value(INTEGER, x);
        }
        if (o instanceof Double x) {
            return value(DOUBLE, Double.doubleToLongBits(x));
        }
        if (o instanceof Pair<?, ?> p) {
            return fmix64(step(step(start(PAIR), hash64(p.key())), hash64(p.value())));
        }
        if (o instanceof Short x) {
            return value(SHORT, x);
        }
        if (o instanceof Byte x) {
            return value(BYTE, x);
        }
        if (o instanceof Float x) {
            return value(FLOAT, Float.floatToIntBits(x));
        }
        if (o instanceof Character x) {
            return value(CHARACTER, x);
        }
        if (o instanceof Boolean x) {
            return value(BOOLEAN, x ? 1 : 0);
        }
        if (o instanceof byte[] bytes) {
            long h = start(BYTES);
            for (byte b : bytes) {
                h = step(h, b);
            }
            return fmix64(h ^ bytes.length);
        }
        if (o instanceof Enum<?> e) {
            return fmix64(step(step(start(ENUM), hash64(e.getDeclaringClass().getName())), e.ordinal()));
        }
        if (o instanceof Triple<?, ?, ?> t) {
            return fmix64(step(step(step(start(TRIPLE), hash64(t.first())), hash64(t.second())), hash64(t.third())));
        }
        if (o instanceof List<?> list) {
            long h = start(LIST);
            for (Object x : list) {
                h = step(h, hash64(x));
            }
            return fmix64(h ^ list.size());
        }
        if (o instanceof Set<?> set) {
            // Equal sets may iterate in different orders: combine the members' hashes by a sum.
            long sum = 0;
            for (Object x : set) {
                sum += hash64(x);
            }
            return fmix64(step(start(SET), sum) ^ set.size());
        }
        if (o instanceof Map.Entry<?, ?> e) {
            return fmix64(step(step(start(ENTRY), hash64(e.getKey())), hash64(e.getValue())));
        }
        return value(OTHER, o.hashCode());
    }

    private static long start(long type) {
        return type * GOLDEN;
    }

    /** Folds one component in: each part (xor, odd multiply, xor-shift) is a bijection of h. */
    private static long step(long h, long component) {
        h = (h ^ component) * STEP;
        return h ^ (h >>> 29);
    }

    private static long value(long type, long v) {
        return fmix64(step(start(type), v));
    }

    /** MurmurHash3's 64-bit finalizer. */
    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xFF51AFD7ED558CCDL;
        k ^= k >>> 33;
        k *= 0xC4CEB9FE1A85EC53L;
        k ^= k >>> 33;
        return k;
    }
}
