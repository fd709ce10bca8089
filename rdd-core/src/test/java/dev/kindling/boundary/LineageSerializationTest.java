package dev.kindling.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.RDD;
import dev.kindling.scheduler.HashPartitioner;
import dev.kindling.storage.StorageLevel;
import dev.kindling.testing.LocalContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of RDD crosses the task boundary as bytes: each one built here is serialized with
 * Java serialization on the driver, read back inside a task (as an executor would), and the copy,
 * which has no context, computes through its task's executor environment exactly the partitions
 * the original computes. The reference is the original RDD itself, run as an ordinary job.
 */
@ExtendWith(LocalContext.class)
class LineageSerializationTest {

    @TempDir
    Path dir;

    @Test
    void everyRddKindRoundTripsAndComputesTheSamePartitions(KindlingContext kc) throws IOException {
        Map<String, RDD<?>> kinds = everyKind(kc);
        assertTrue(kinds.size() >= 25, "the list covers the RDD kinds (" + kinds.size() + ")");
        for (Map.Entry<String, RDD<?>> kind : kinds.entrySet()) {
            RDD<?> original = kind.getValue();
            List<List<String>> expected = partitions(kc, original);
            byte[] bytes = serialize(original);
            RDD<?> copy = deserialize(bytes);
            assertNull(copy.context(), kind.getKey() + ": the context does not travel");
            assertEquals(original.numPartitions(), copy.numPartitions(), kind.getKey());
            assertEquals(expected, computeCopyInTasks(kc, bytes, original.numPartitions()),
                    kind.getKey() + ": the deserialized copy computes the original's partitions");
        }
    }

    private Map<String, RDD<?>> everyKind(KindlingContext kc) throws IOException {
        Map<String, RDD<?>> kinds = new LinkedHashMap<>();
        List<Integer> numbers = IntStream.range(0, 200).boxed().toList();
        RDD<Integer> source = kc.parallelize(numbers, 4);
        PairRDD<Integer, Integer> pairs = source.mapToPair(n -> new Pair<>(n % 7, n));
        kinds.put("parallelize", source);
        kinds.put("range", kc.range(0, 100, 3, 3));
        kinds.put("empty", kc.<String>emptyRDD());
        kinds.put("map", source.map(n -> n * 2));
        kinds.put("filter", source.filter(n -> n % 3 == 0));
        kinds.put("flatMap", source.flatMap(n -> List.of(n, -n).iterator()));
        kinds.put("mapPartitions", source.mapPartitions(it -> List.of(count(it)).iterator()));
        kinds.put("union", kc.union(source, source.map(n -> n + 1000)));
        PairRDD<Integer, Integer> reduced = pairs.reduceByKey(Integer::sum, 3);
        kinds.put("partitioner-aware union", kc.union(reduced.rdd(), reduced.mapValues(v -> -v).rdd()));
        kinds.put("coalesce", source.coalesce(2));
        kinds.put("cartesian", kc.parallelize(List.of(1, 2, 3), 2).cartesian(kc.parallelize(List.of("a", "b"), 2)).rdd());
        kinds.put("zip", source.zip(source.map(n -> "v" + n)).rdd());
        kinds.put("zipPartitions", source.zipPartitions(source, (a, b) -> List.of(count(a) + count(b)).iterator()));
        kinds.put("zipWithIndex", source.zipWithIndex().rdd());
        kinds.put("reduceByKey (shuffle with map-side combine)", reduced.rdd());
        kinds.put("groupByKey (plain shuffle)", pairs.groupByKey(2).mapValues(LineageSerializationTest::sorted).rdd());
        kinds.put("sortByKey (range partitioner)", pairs.sortByKey().rdd());
        kinds.put("partitionBy", pairs.partitionBy(new HashPartitioner(3)).rdd());
        kinds.put("combine within partitions", reduced.reduceByKey(Integer::sum).rdd());
        kinds.put("cogroup", pairs.cogroup(reduced, 2).mapValues(v -> sorted(v.key()) + "|" + sorted(v.value())).rdd());
        kinds.put("join", pairs.join(reduced, 3).rdd());
        kinds.put("filterByRange (partition pruning)", pairs.sortByKey().filterByRange(2, 4).rdd());
        kinds.put("sampleByKeyExact (stratified)", pairs.sampleByKeyExact(false, fractions(), 42L).rdd());
        kinds.put("sampleByKey", pairs.sampleByKey(false, fractions(), 7L).rdd());
        Path text = Files.writeString(dir.resolve("lines.txt"), "alpha\nbeta\ngamma\ndelta\n");
        kinds.put("textFile", kc.textFile(text.toString(), 2));
        Path files = Files.createDirectories(dir.resolve("files"));
        Files.writeString(files.resolve("a.txt"), "first file");
        Files.writeString(files.resolve("b.txt"), "second file");
        kinds.put("wholeTextFiles", kc.wholeTextFiles(files.toString()).mapValues(s -> s.toUpperCase()).rdd());
        kinds.put("binaryFiles", kc.binaryFiles(files.toString())
                .mapValues(b -> new String(b, StandardCharsets.UTF_8)).rdd());
        String objects = dir.resolve("objects").toString();
        source.saveAsObjectFile(objects);
        kinds.put("objectFile", kc.<Integer>objectFile(objects));
        kinds.put("pipe", source.map(String::valueOf).pipe(List.of("cat")));
        RDD<Integer> cached = source.map(n -> n + 1).persist(StorageLevel.MEMORY_ONLY);
        cached.count();
        kinds.put("persisted (read from the executor's block manager)", cached);
        kc.setCheckpointDir(dir.resolve("checkpoints").toString());
        RDD<Integer> checkpointed = source.map(n -> n * 3);
        checkpointed.checkpoint();
        checkpointed.count();
        assertTrue(checkpointed.isCheckpointed());
        kinds.put("checkpointed (read from its files)", checkpointed);
        return kinds;
    }

    private static Map<Integer, Double> fractions() {
        Map<Integer, Double> f = new LinkedHashMap<>();
        for (int k = 0; k < 7; k++) {
            f.put(k, k % 2 == 0 ? 0.5 : 0.2);
        }
        return f;
    }

    private static String sorted(Iterable<?> values) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add(String.valueOf(v)));
        out.sort(null);
        return out.toString();
    }

    private static long count(Iterator<?> it) {
        long n = 0;
        for (; it.hasNext(); it.next()) {
            n++;
        }
        return n;
    }

    /** The original's partitions, as strings, computed by an ordinary job. */
    private static List<List<String>> partitions(KindlingContext kc, RDD<?> rdd) {
        @SuppressWarnings("unchecked")
        RDD<Object> any = (RDD<Object>) rdd;
        return kc.runJob(any, (ctx, it) -> strings(it));
    }

    /** Deserializes the copy inside each task (one per partition) and computes its partition there. */
    private static List<List<String>> computeCopyInTasks(KindlingContext kc, byte[] bytes, int partitions) {
        if (partitions == 0) {
            return List.of();
        }
        RDD<Integer> carrier = kc.parallelize(IntStream.range(0, partitions).boxed().toList(), partitions);
        return kc.runJob(carrier, (ctx, ignored) -> {
            RDD<?> copy = deserialize(bytes);
            return strings(copy.iterator(ctx.partitionId(), ctx));
        });
    }

    private static List<String> strings(Iterator<?> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(x -> out.add(String.valueOf(x)));
        return out;
    }

    private static byte[] serialize(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    private static RDD<?> deserialize(byte[] bytes) throws IOException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return (RDD<?>) in.readObject();
        } catch (ClassNotFoundException e) {
            throw new IOException(e);
        }
    }
}
