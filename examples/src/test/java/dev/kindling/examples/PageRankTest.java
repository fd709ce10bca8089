package dev.kindling.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.scheduler.HashPartitioner;
import dev.kindling.testing.LocalContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalContext.class)
class PageRankTest {

    /** A random graph with duplicate edges, self loops, sinks and nodes nobody links to. */
    static List<Pair<Long, Long>> randomGraph(int nodes, int edges, long seed) {
        Random random = new Random(seed);
        List<Pair<Long, Long>> list = new ArrayList<>();
        for (int e = 0; e < edges; e++) {
            long src = random.nextInt(nodes);
            long dst = random.nextInt(nodes / 2) * 2L; // odd nodes are never linked to
            if (src % 7 == 0) {
                src = dst + 1000; // some sources appear only as sources, and sinks appear only as destinations
            }
            list.add(Pair.of(src, dst));
        }
        list.add(list.get(0));
        list.add(Pair.of(3L, 3L));
        return list;
    }

    /** Power iteration over an adjacency list in plain Java: the reference. */
    static Map<Long, Double> powerIteration(List<Pair<Long, Long>> edges, int iterations, double damping) {
        Map<Long, TreeSet<Long>> out = new TreeMap<>();
        for (Pair<Long, Long> e : edges) {
            out.computeIfAbsent(e.key(), k -> new TreeSet<>()).add(e.value());
            out.computeIfAbsent(e.value(), k -> new TreeSet<>());
        }
        Map<Long, Double> ranks = new TreeMap<>();
        out.keySet().forEach(n -> ranks.put(n, 1.0));
        for (int it = 0; it < iterations; it++) {
            Map<Long, Double> sums = new TreeMap<>();
            out.keySet().forEach(n -> sums.put(n, 0.0));
            for (Map.Entry<Long, TreeSet<Long>> e : out.entrySet()) {
                for (long dst : e.getValue()) {
                    sums.merge(dst, ranks.get(e.getKey()) / e.getValue().size(), Double::sum);
                }
            }
            sums.forEach((n, s) -> ranks.put(n, (1 - damping) + damping * s));
        }
        return ranks;
    }

    private static void assertRanksEqual(Map<Long, Double> expected, Map<Long, Double> actual) {
        assertEquals(expected.keySet(), new TreeMap<>(actual).keySet());
        expected.forEach((n, r) -> assertEquals(r, actual.get(n), 1e-9 * r, "rank of node " + n));
    }

    @Test
    void ranksEqualAPowerIterationOverAnAdjacencyList(KindlingContext kc) {
        List<Pair<Long, Long>> edges = randomGraph(300, 1500, 3);
        PairRDD<Long, long[]> links = PageRank.links(kc.parallelize(edges, 3), new HashPartitioner(2)).cache();

        Map<Long, Double> ranks = PageRank.ranks(links, 15, 0.85, 4).collectAsMap();

        assertRanksEqual(powerIteration(edges, 15, 0.85), ranks);
        long sourcesOnly = ranks.keySet().stream().filter(n -> n >= 1000).count();
        assertTrue(sourcesOnly > 0, "the graph has nodes nobody links to");
        ranks.forEach((n, r) -> {
            if (n >= 1000) {
                assertEquals(0.15, r, 1e-15, "a node nobody links to keeps 1 - d");
            }
        });
    }

    @Test
    void whenRunFor120Iterations_thenTheLineageStaysBoundedAndRanksStayExact(KindlingContext kc) {
        List<Pair<Long, Long>> edges = randomGraph(60, 250, 8);
        PairRDD<Long, long[]> links = PageRank.links(kc.parallelize(edges, 2), new HashPartitioner(2)).cache();

        PairRDD<Long, Double> after10 = PageRank.ranks(links, 10, 0.85, 10);
        PairRDD<Long, Double> after120 = PageRank.ranks(links, 120, 0.85, 10);
        PairRDD<Long, Double> uncut = PageRank.ranks(links, 120, 0.85, 0);

        int lines10 = after10.toDebugString().split("\n").length;
        int lines120 = after120.toDebugString().split("\n").length;
        assertTrue(lines120 <= lines10 + 5, "lineage grew from " + lines10 + " to " + lines120 + " lines:\n"
                + after120.toDebugString());
        assertTrue(uncut.toDebugString().split("\n").length > 5 * lines120, "without cuts the lineage would grow");
        assertRanksEqual(powerIteration(edges, 120, 0.85), after120.collectAsMap());
        // Each run keeps only its links and its latest cut cached: earlier cuts are unpersisted.
        long cachedRdds = kc.getRDDStorageInfo().stream().filter(info -> info.cachedPartitions() > 0).count();
        assertTrue(cachedRdds <= 4, "cached RDDs: " + kc.getRDDStorageInfo());
    }

    @Test
    void topRanksComeHighestFirstWithTiesBrokenBySmallerNode(KindlingContext kc) {
        List<Pair<Long, Long>> edges = List.of(Pair.of(1L, 2L), Pair.of(3L, 2L), Pair.of(4L, 5L), Pair.of(6L, 5L));
        PairRDD<Long, long[]> links = PageRank.links(kc.parallelize(edges, 2), new HashPartitioner(2)).cache();

        List<Pair<Long, Double>> top = PageRank.ranks(links, 3, 0.85, 10).rdd().top(3, new PageRank.ByRank());

        assertEquals(List.of(2L, 5L, 1L), top.stream().map(Pair::key).toList());
        assertEquals(0.15 + 0.85 * 0.3, top.get(0).value(), 1e-12);
    }
}
