package dev.kindling.internal.storage.memory;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Estimates how many heap bytes an object graph occupies, so the memory budget can account for
 * cached partitions and shuffle buffers. Assumes a 64-bit JVM with compressed oops and compressed
 * class pointers (the default below 32 GB of heap): 12-byte object headers, 16-byte array headers,
 * 4-byte references, 8-byte alignment.
 *
 * <p>How it works: a breadth-first walk over references, counting each object once (identity).
 * Fields are read by reflection where the module system allows it. JDK types whose internals Java
 * 17 keeps closed (strings, collections, maps) are sized from their public state with layouts that
 * match the JDK's implementations. Large arrays and collections are sampled: a fixed number of
 * evenly spaced elements is sized and the result scaled, so estimating a million-element partition
 * costs about as much as estimating a few hundred elements.
 *
 * <p>Thread safety: stateless apart from a thread-safe cache of class layouts.
 */
public final class SizeEstimator {

    static final int HEADER = 12;
    static final int ARRAY_HEADER = 16;
    static final int REF = 4;
    private static final int SAMPLE = 256;
    private static final int SAMPLE_THRESHOLD = 2 * SAMPLE;

    private static final ConcurrentHashMap<Class<?>, ClassInfo> CLASSES = new ConcurrentHashMap<>();

    /** Shallow size of a class's instances and the reference fields to follow (accessible ones only). */
    private record ClassInfo(long shallow, Field[] refs, boolean opaque) {
    }

    private SizeEstimator() {
    }

    /** Estimated bytes retained by {@code root} and everything reachable from it (0 for null). */
    public static long estimate(Object root) {
        if (root == null) {
            return 0;
        }
        Walk w = new Walk();
        w.enqueue(root);
        w.run();
        return w.total;
    }

    /** Bytes of a {@code byte[]} of {@code length} bytes. */
    public static long arraySizeOfBytes(int length) {
        return arraySize(length, 1);
    }

    /** Rounds up to the JVM's 8-byte object alignment. */
    static long align(long size) {
        return (size + 7) & ~7L;
    }

    /** Bytes of a primitive array or reference array of {@code length} elements of {@code elementSize}. */
    static long arraySize(int length, int elementSize) {
        return align(ARRAY_HEADER + (long) length * elementSize);
    }

    private static int primitiveSize(Class<?> c) {
        if (c == long.class || c == double.class) {
            return 8;
        }
        if (c == int.class || c == float.class) {
            return 4;
        }
        if (c == short.class || c == char.class) {
            return 2;
        }
        if (c == byte.class || c == boolean.class) {
            return 1;
        }
        return REF;
    }

    private static ClassInfo classInfo(Class<?> c) {
        ClassInfo info = CLASSES.get(c);
        if (info == null) {
            info = computeClassInfo(c);
            CLASSES.putIfAbsent(c, info);
        }
        return info;
    }

    private static ClassInfo computeClassInfo(Class<?> c) {
        long fieldBytes = 0;
        boolean hasLong = false;
        boolean hasSmall = false;
        List<Field> refs = new ArrayList<>();
        boolean opaque = false;
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                int size = primitiveSize(f.getType());
                fieldBytes += size;
                hasLong |= size == 8;
                hasSmall |= size < 8;
                if (!f.getType().isPrimitive()) {
                    if (f.trySetAccessible()) {
                        refs.add(f);
                    } else {
                        opaque = true;
                    }
                }
            }
        }
        long size = HEADER + fieldBytes;
        if (hasLong && !hasSmall) {
            size += 4; // 8-byte fields start at offset 16: the 4 bytes after the header stay empty
        }
        return new ClassInfo(align(size), refs.toArray(new Field[0]), opaque);
    }

    /** One estimation: a queue of objects still to size, and the identity set of those seen. */
    private static final class Walk {
        private final Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        private final ArrayDeque<Object> queue = new ArrayDeque<>();
        long total;

        void enqueue(Object o) {
            if (o != null && !(o instanceof Class) && !(o instanceof Enum) && seen.add(o)) {
                queue.add(o);
            }
        }

        void run() {
            Object o;
            while ((o = queue.poll()) != null) {
                visit(o);
            }
        }

        private void visit(Object o) {
            Class<?> c = o.getClass();
            if (c.isArray()) {
                visitArray(o, c.getComponentType());
                return;
            }
            if (o instanceof String s) {
                total += stringSize(s);
                return;
            }
            ClassInfo info = classInfo(c);
            total += info.shallow();
            if (info.opaque() && c.getName().startsWith("java.")) {
                visitJdkInternals(o);
                return;
            }
            for (Field f : info.refs()) {
                try {
                    enqueue(f.get(o));
                } catch (IllegalAccessException e) {
                    // Not readable: count the shallow size only.
                }
            }
        }

        private void visitArray(Object array, Class<?> component) {
            int length = Array.getLength(array);
            if (component.isPrimitive()) {
                total += arraySize(length, primitiveSize(component));
                return;
            }
            total += arraySize(length, REF);
            Object[] objects = (Object[]) array;
            if (length <= SAMPLE_THRESHOLD) {
                for (Object e : objects) {
                    enqueue(e);
                }
                return;
            }
            sampled(length, i -> objects[i]);
        }

        /** Sizes {@link #SAMPLE} evenly spaced elements in a separate walk and scales the result. */
        private void sampled(int length, java.util.function.IntFunction<Object> element) {
            Walk sub = new Walk();
            sub.seen.addAll(seen);
            long stride = Math.max(1, length / SAMPLE);
            int n = 0;
            for (long i = 0; i < length; i += stride) {
                sub.enqueue(element.apply((int) i));
                n++;
            }
            sub.run();
            total += (long) (sub.total * ((double) length / n));
        }

        private void visitElements(Collection<?> c) {
            int size = c.size();
            if (size <= SAMPLE_THRESHOLD) {
                for (Object e : c) {
                    enqueue(e);
                }
                return;
            }
            Object[] picked = new Object[SAMPLE];
            int stride = size / SAMPLE;
            Iterator<?> it = c.iterator();
            int k = 0;
            for (int i = 0; it.hasNext() && k < SAMPLE; i++) {
                Object e = it.next();
                if (i % stride == 0) {
                    picked[k++] = e;
                }
            }
            Walk sub = new Walk();
            sub.seen.addAll(seen);
            for (int i = 0; i < k; i++) {
                sub.enqueue(picked[i]);
            }
            sub.run();
            long sampledBytes = sub.total;
            if (c instanceof PairView) {
                sampledBytes -= (long) k * arraySize(2, REF); // the Object[2] holders are not part of the map
            }
            total += (long) (sampledBytes * ((double) size / Math.max(1, k)));
        }

        /** JDK collections and maps whose fields Java 17 does not let us read. */
        private void visitJdkInternals(Object o) {
            if (o instanceof Map<?, ?> m) {
                int n = m.size();
                String name = o.getClass().getName();
                if (o instanceof java.util.HashMap || o instanceof ConcurrentHashMap || o instanceof java.util.Hashtable) {
                    total += arraySize(tableCapacity(n), REF) + (long) n * (o instanceof java.util.LinkedHashMap ? 40 : 32);
                } else if (o instanceof java.util.TreeMap) {
                    total += (long) n * 40;
                } else if (!name.contains("Unmodifiable") && !name.contains("Synchronized")) {
                    total += arraySize(2 * n, REF); // Map.of and other compact maps
                }
                if (n <= SAMPLE_THRESHOLD / 2) {
                    for (Map.Entry<?, ?> e : m.entrySet()) {
                        enqueue(e.getKey());
                        enqueue(e.getValue());
                    }
                } else {
                    visitElements(new PairView(m));
                }
            } else if (o instanceof Collection<?> c) {
                int n = c.size();
                if (o instanceof java.util.HashSet) {
                    total += 48 + arraySize(tableCapacity(n), REF) + (long) n * (o instanceof java.util.LinkedHashSet ? 40 : 32);
                } else if (o instanceof java.util.LinkedList) {
                    total += (long) n * 24;
                } else if (o instanceof java.util.TreeSet) {
                    total += 48 + (long) n * 40;
                } else if (o instanceof java.util.ArrayList || o instanceof java.util.ArrayDeque
                        || o instanceof java.util.Vector || o.getClass().getName().startsWith("java.util.ImmutableCollections")) {
                    total += arraySize(n, REF);
                }
                visitElements(c);
            } else if (o instanceof java.util.Optional<?> opt) {
                enqueue(opt.orElse(null));
            } else if (o instanceof java.math.BigInteger b) {
                total += arraySize((b.bitLength() + 31) / 32, 4);
            } else if (o instanceof java.math.BigDecimal d) {
                enqueue(d.unscaledValue());
            }
        }
    }

    /** A map's keys and values as one collection, for sampling. */
    private static final class PairView extends java.util.AbstractCollection<Object> {
        private final Map<?, ?> map;

        PairView(Map<?, ?> map) {
            this.map = map;
        }

        @Override
        public Iterator<Object> iterator() {
            Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public Object next() {
                    Map.Entry<?, ?> e = it.next();
                    return new Object[] {e.getKey(), e.getValue()};
                }
            };
        }

        @Override
        public int size() {
            return map.size();
        }
    }

    private static int tableCapacity(int entries) {
        if (entries == 0) {
            return 0;
        }
        int needed = (int) Math.ceil(entries / 0.75);
        return Integer.highestOneBit(Math.max(needed - 1, 1)) << 1;
    }

    /** A JDK 17 String: 24-byte object plus a byte[] of one byte per char (Latin-1) or two. */
    static long stringSize(String s) {
        boolean latin1 = true;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xFF) {
                latin1 = false;
                break;
            }
        }
        return 24 + arraySize(s.length() * (latin1 ? 1 : 2), 1);
    }
}
