package dev.kindling.examples;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.RDD;
import dev.kindling.scheduler.HashPartitioner;
import dev.kindling.scheduler.Partitioner;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * PageRank by power iteration over an edge list, in the formulation of Spark's classic example:
 * <pre>
 *   rank(v) = (1 - d) + d * sum over edges u -&gt; v of rank(u) / outDegree(u)
 * </pre>
 * starting from rank 1 everywhere, with damping {@code d} (default 0.85). Every node that appears in
 * the edge list keeps a rank (one without incoming links gets {@code 1 - d}); duplicate edges count
 * once; a node without outgoing links passes its rank to nobody.
 *
 * <pre>
 * bin/kindling run pagerank --input examples/data/edges.txt --iterations 20 --top 10
 * </pre>
 * Input lines are "src dst" (node ids are integers; commas or whitespace between them; lines starting
 * with '#' are comments). {@code --help} lists the options and their defaults.
 *
 * <p>How it is built: the links ({@code node -> out-neighbours}) are hash-partitioned once and
 * cached; the ranks are kept with the same partitioner, so the per-iteration join of links and
 * ranks needs no shuffle of the links, only the contributions are shuffled.
 *
 * <p>Lineage: each iteration adds a few RDDs to the ranks' lineage, and without a cut a long run
 * would grow the lineage (and the recursion that walks it) without bound. Every
 * {@code --materialize-every} iterations {@link #truncateLineage} local-checkpoints the ranks
 * (keeps them in the block manager and cuts their lineage), and the previous cut is unpersisted.
 */
public final class PageRank {

    private static final Pattern SEPARATORS = Pattern.compile("[,\\s]+");

    private PageRank() {
    }

    /** Orders (node, rank) pairs by rank, then by smaller node id first: the order of the top list. */
    public static final class ByRank implements Comparator<Pair<Long, Double>>, Serializable {
        @Override
        public int compare(Pair<Long, Double> a, Pair<Long, Double> b) {
            int c = Double.compare(a.value(), b.value());
            return c != 0 ? c : Long.compare(b.key(), a.key());
        }
    }

    /** Parses "src dst" into an edge; fails naming the line when it is not two integers. */
    public static Pair<Long, Long> parseEdge(String line) {
        String[] fields = SEPARATORS.split(line.trim());
        if (fields.length != 2) {
            throw new IllegalArgumentException("Expected an edge 'src dst' but got '" + line + "'");
        }
        try {
            return Pair.of(Long.parseLong(fields[0]), Long.parseLong(fields[1]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Node ids must be integers, in line '" + line + "'", e);
        }
    }

    /**
     * The adjacency lists of the graph: every node that appears in {@code edges} (as source or
     * destination) with its distinct out-neighbours, sorted, partitioned by {@code partitioner}.
     */
    public static PairRDD<Long, long[]> links(RDD<Pair<Long, Long>> edges, Partitioner partitioner) {
        // Each edge also announces its destination (with no neighbour: null), so sinks get a row too.
        return edges.<Long, Long>flatMapToPair(e -> List.of(Pair.of(e.key(), e.value()), Pair.of(e.value(), (Long) null))
                        .iterator())
                .groupByKey(partitioner)
                .mapValues(neighbours -> {
                    List<Long> out = new ArrayList<>();
                    for (Long n : neighbours) {
                        if (n != null) {
                            out.add(n);
                        }
                    }
                    return out.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
                });
    }

    /**
     * Runs {@code iterations} PageRank steps over cached {@code links} and returns the ranks (lazily:
     * the last steps run when the result is used).
     *
     * @param materializeEvery cut the lineage every this many iterations (see {@link #truncateLineage})
     */
    public static PairRDD<Long, Double> ranks(PairRDD<Long, long[]> links, int iterations, double damping,
                                              int materializeEvery) {
        Partitioner partitioner = links.partitioner().orElseThrow(() -> new IllegalArgumentException(
                "PageRank needs partitioned links (use PageRank.links or partitionBy) so joins do not reshuffle them"));
        PairRDD<Long, Double> ranks = links.mapValues(out -> 1.0);
        PairRDD<Long, Double> lastCut = null;
        for (int it = 1; it <= iterations; it++) {
            // The join is narrow: links and ranks share the partitioner. Only contributions shuffle.
            PairRDD<Long, Double> contributions = links.join(ranks, partitioner).rdd()
                    .flatMapToPair(node -> contributions(node.key(), node.value().key(), node.value().value()));
            ranks = contributions.reduceByKey(Double::sum, partitioner)
                    .mapValues(sum -> (1 - damping) + damping * sum);
            if (materializeEvery > 0 && it % materializeEvery == 0 && it < iterations) {
                ranks = truncateLineage(ranks);
                if (lastCut != null) {
                    lastCut.unpersist(); // the new cut no longer depends on it
                }
                lastCut = ranks;
            }
        }
        return ranks;
    }

    /** What one node sends: rank / outDegree to each out-neighbour, and 0 to itself so it keeps a rank. */
    private static Iterator<Pair<Long, Double>> contributions(long node, long[] out, double rank) {
        List<Pair<Long, Double>> list = new ArrayList<>(out.length + 1);
        list.add(Pair.of(node, 0.0));
        for (long dst : out) {
            list.add(Pair.of(dst, rank / out.length));
        }
        return list.iterator();
    }

    /**
     * Computes {@code ranks} now, keeps them (memory, spilling to disk) and cuts their lineage with
     * {@link dev.kindling.RDD#localCheckpoint()}, so that a long run grows neither its lineage nor
     * the stack that walks it. Returns the same RDD, with its partitioner.
     */
    public static PairRDD<Long, Double> truncateLineage(PairRDD<Long, Double> ranks) {
        ranks.rdd().localCheckpoint();
        ranks.count();
        return ranks;
    }

    /** Runs the example; {@code --help} lists the options and their defaults. */
    public static void main(String[] args) throws Exception {
        ExampleCommand.main(new Cli(), args);
    }

    /** The command line of {@code pagerank}. */
    @Command(name = "pagerank", sortOptions = false, showDefaultValues = true,
            description = {"PageRank by power iteration over an edge list (rank = (1 - d) + d * sum of rank(u)/outdeg(u)).",
                    "Prints the number of nodes and the top ranks."})
    public static final class Cli implements Callable<Integer> {

        @Mixin
        ExampleCommand.HelpOption help;

        @Option(names = "--input", paramLabel = "<file>", required = true,
                description = "Edge list: lines 'src dst' (integer ids, commas or whitespace between; '#' starts a comment line).")
        String input;

        @Option(names = "--iterations", paramLabel = "<n>", description = "Iterations to run.")
        int iterations = 10;

        @Option(names = "--damping", paramLabel = "<d>", description = "Damping factor d.")
        double damping = 0.85;

        @Option(names = "--top", paramLabel = "<n>", description = "How many of the highest ranks to print.")
        int top = 10;

        @Option(names = "--materialize-every", paramLabel = "<n>",
                description = "Cut the ranks' lineage (localCheckpoint) every n iterations.")
        int materializeEvery = 10;

        @Option(names = "--partitions", paramLabel = "<p>",
                description = "Partitions of the links and ranks (default: the context's default parallelism).")
        Integer partitions;

        @Override
        public Integer call() {
            try (KindlingContext kc = Kindling.builder().appName("pagerank").build()) {
                Partitioner partitioner = new HashPartitioner(partitions != null ? partitions : kc.defaultParallelism());
                RDD<Pair<Long, Long>> edges = kc.textFile(input)
                        .filter(line -> !line.isBlank() && !line.startsWith("#"))
                        .map(PageRank::parseEdge);
                PairRDD<Long, long[]> links = links(edges, partitioner).cache();
                PairRDD<Long, Double> ranks = ranks(links, iterations, damping, materializeEvery);
                List<Pair<Long, Double>> best = ranks.rdd().top(top, new ByRank());
                System.out.println("nodes=" + links.count() + " iterations=" + iterations);
                for (Pair<Long, Double> p : best) {
                    System.out.printf("%d\t%.6f%n", p.key(), p.value());
                }
            }
            return 0;
        }
    }
}
