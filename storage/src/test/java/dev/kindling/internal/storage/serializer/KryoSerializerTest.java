package dev.kindling.internal.storage.serializer;

import dev.kindling.storage.KryoRegistrator;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import it.unimi.dsi.fastutil.ints.Int2LongOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import it.unimi.dsi.fastutil.objects.Object2DoubleOpenHashMap;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Property tests: random values of every supported shape survive a round trip unchanged. */
class KryoSerializerTest {

    record Point(int x, double y, String label) {
    }

    record Nested(Point p, List<Point> more, Map<String, Integer> tags, Optional<String> note) {
    }

    /** A serializable function type, as user closures are. */
    interface SFunction<A, B> extends Function<A, B>, Serializable {
    }

    static final class Counter {
        static final AtomicInteger REGISTRATIONS = new AtomicInteger();
    }

    /** A registrator loadable by name. */
    public static final class TestRegistrator implements KryoRegistrator {
        @Override
        public void registerClasses(Kryo kryo) {
            Counter.REGISTRATIONS.incrementAndGet();
            kryo.register(Point.class, 200);
        }
    }

    private final KryoSerializer ser = KryoSerializer.create();

    private <T> T roundTrip(T value) {
        return ser.deserialize(ser.serialize(value));
    }

    private static String randomString(Random r) {
        int n = r.nextInt(12);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(r.nextInt(10) == 0 ? (char) (0x400 + r.nextInt(200)) : (char) ('a' + r.nextInt(26)));
        }
        return sb.toString();
    }

    private static Point randomPoint(Random r) {
        return new Point(r.nextInt(), r.nextDouble(), r.nextInt(5) == 0 ? null : randomString(r));
    }

    private static Object randomValue(Random r, int depth) {
        int kind = r.nextInt(depth > 2 ? 8 : 16);
        switch (kind) {
            case 0: return r.nextInt();
            case 1: return r.nextLong();
            case 2: return r.nextDouble();
            case 3: return randomString(r);
            case 4: return randomPoint(r);
            case 5: return null;
            case 6: return r.nextBoolean();
            case 7: return (byte) r.nextInt();
            case 8: {
                List<Object> l = new ArrayList<>();
                for (int i = r.nextInt(6); i > 0; i--) {
                    l.add(randomValue(r, depth + 1));
                }
                return l;
            }
            case 9: {
                Map<Object, Object> m = new HashMap<>();
                for (int i = r.nextInt(6); i > 0; i--) {
                    m.put(randomString(r), randomValue(r, depth + 1));
                }
                return m;
            }
            case 10: return List.of(randomString(r), randomPoint(r));
            case 11: return Map.of(randomString(r) + "k", r.nextLong());
            case 12: return Optional.ofNullable(r.nextBoolean() ? null : randomString(r));
            case 13: {
                List<Point> ps = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    ps.add(randomPoint(r));
                }
                Map<String, Integer> tags = new TreeMap<>();
                tags.put(randomString(r), r.nextInt());
                return new Nested(randomPoint(r), ps, tags, Optional.of(randomString(r)));
            }
            case 14: return Arrays.asList(randomString(r), r.nextInt());
            default: return Collections.unmodifiableList(new ArrayList<>(List.of(r.nextInt(), randomString(r))));
        }
    }

    @RepeatedTest(20)
    void randomNestedValuesRoundTripUnchanged() {
        Random r = new Random(System.nanoTime());
        for (int i = 0; i < 200; i++) {
            Object v = randomValue(r, 0);
            assertEquals(v, roundTrip(v), () -> "value " + v);
        }
    }

    @Test
    void primitiveArraysRoundTrip() {
        Random r = new Random(1);
        int[] ints = r.ints(1000).toArray();
        long[] longs = r.longs(333).toArray();
        double[] doubles = r.doubles(77).toArray();
        byte[] bytes = new byte[513];
        r.nextBytes(bytes);
        char[] chars = "héllo wörld".toCharArray();
        assertArrayEquals(ints, roundTrip(ints));
        assertArrayEquals(longs, roundTrip(longs));
        assertArrayEquals(doubles, roundTrip(doubles));
        assertArrayEquals(bytes, roundTrip(bytes));
        assertArrayEquals(chars, roundTrip(chars));
        assertArrayEquals(new int[0], roundTrip(new int[0]));
    }

    @Test
    void immutableAndWrappedCollectionsRoundTrip() {
        List<Object> values = List.of(List.of(), List.of(1), List.of(1, 2, 3), Set.of("a", "b"), Map.of(),
                Map.of("a", 1, "b", 2), Collections.emptyList(), Collections.singletonList("x"),
                Collections.unmodifiableMap(new HashMap<>(Map.of(1, "one"))),
                Collections.unmodifiableSet(new java.util.HashSet<>(Set.of(3, 4))),
                new LinkedHashMap<>(Map.of("k", List.of(1L))), Optional.empty(), Optional.of(List.of("z")));
        for (Object v : values) {
            Object back = roundTrip(v);
            assertEquals(v, back, () -> "value " + v);
        }
        assertThrows(UnsupportedOperationException.class, () -> this.<List<Object>>roundTrip(List.<Object>of(1)).add(2),
                "List.of stays immutable");
    }

    @Test
    void fastutilCollectionsRoundTrip() {
        Random r = new Random(2);
        IntArrayList il = new IntArrayList(r.ints(100).toArray());
        Int2LongOpenHashMap m = new Int2LongOpenHashMap();
        LongOpenHashSet s = new LongOpenHashSet();
        Object2DoubleOpenHashMap<String> od = new Object2DoubleOpenHashMap<>();
        for (int i = 0; i < 100; i++) {
            m.put(r.nextInt(), r.nextLong());
            s.add(r.nextLong());
            od.put(randomString(r), r.nextDouble());
        }
        assertEquals(il, roundTrip(il));
        assertEquals(m, roundTrip(m));
        assertEquals(s, roundTrip(s));
        assertEquals(od, roundTrip(od));
    }

    @Test
    void serializableLambdasRoundTripAndStillWork() {
        int offset = 41;
        SFunction<Integer, Integer> f = x -> x + offset;
        SFunction<String, Integer> g = String::length;
        SFunction<Integer, Integer> back = roundTrip(f);
        assertEquals(42, back.apply(1));
        assertEquals(5, roundTrip(g).apply("hello"));
        Nested holder = new Nested(new Point(1, 2, "x"), List.of(), Map.of(), Optional.empty());
        SFunction<Integer, Point> capturing = i -> new Point(i, holder.p().y(), holder.p().label());
        assertEquals(new Point(7, 2, "x"), roundTrip(capturing).apply(7));
    }

    @Test
    void nullAndSharedReferencesRoundTrip() {
        assertNull(roundTrip(null));
        Point p = new Point(1, 1, "shared");
        List<Point> twice = new ArrayList<>(List.of(p, p));
        List<Point> back = roundTrip(twice);
        assertTrue(back.get(0) == back.get(1), "shared reference is preserved");
        List<Object> cyclic = new ArrayList<>();
        cyclic.add(cyclic);
        List<Object> cycBack = roundTrip(cyclic);
        assertTrue(cycBack.get(0) == cycBack);
    }

    @Test
    void streamsOfRecordsRoundTripInOrder() {
        Random r = new Random(3);
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            values.add(randomValue(r, 1));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (RecordWriter w = ser.newWriter(bytes)) {
            values.forEach(w::write);
        }
        List<Object> back = new ArrayList<>();
        try (RecordReader in = ser.newReader(new ByteArrayInputStream(bytes.toByteArray()))) {
            while (in.hasMore()) {
                back.add(in.read());
            }
        }
        assertEquals(values, back);
    }

    @Test
    void concurrentUseFromManyThreadsIsSafe() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                long seed = t;
                results.add(pool.submit(() -> {
                    Random r = new Random(seed);
                    for (int i = 0; i < 2000; i++) {
                        Object v = randomValue(r, 0);
                        if (!java.util.Objects.equals(v, roundTrip(v))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void registratorsByNameAndBuilderAreApplied() {
        int before = Counter.REGISTRATIONS.get();
        KryoSerializer registered = KryoSerializer.builder().registrators(TestRegistrator.class.getName()).build();
        Point p = new Point(3, 4, "r");
        byte[] withRegistration = registered.serialize(p);
        assertEquals(p, registered.deserialize(withRegistration));
        assertTrue(Counter.REGISTRATIONS.get() > before);
        assertTrue(withRegistration.length < ser.serialize(p).length, "registered classes are written as ids");
        KryoSerializer viaBuilder = KryoSerializer.builder().register(Point.class).build();
        assertEquals(p, viaBuilder.deserialize(viaBuilder.serialize(p)));
    }

    @Test
    void whenRegistratorNameIsWrong_thenErrorNamesIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KryoSerializer.builder().registrators("no.such.Registrator"));
        assertTrue(e.getMessage().contains("no.such.Registrator"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> KryoSerializer.builder().registrators(String.class.getName()));
        assertTrue(e2.getMessage().contains("does not implement"), e2.getMessage());
    }
}
