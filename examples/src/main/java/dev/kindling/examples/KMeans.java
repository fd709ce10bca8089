package dev.kindling.examples;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * K-means clustering with Lloyd's algorithm: assign every point to its nearest center, move each
 * center to the mean of its points, repeat.
 *
 * <pre>
 * bin/kindling run kmeans --input examples/data/clusters.txt --k 3 --iterations 20 --seed 1
 * bin/kindling run kmeans --generate 100000 --dims 2 --k 5 --seed 1
 * </pre>
 * Input lines are "x1 x2 ...", fields separated by commas or whitespace. The initial centers are
 * {@code k} distinct points drawn at random with {@code --seed} ({@link RDD#takeSample}). Stops after
 * {@code --iterations} (default 20) or when no center moves more than {@code --epsilon} (default 1e-9).
 * Prints the cost (sum of squared distances to the nearest center) per iteration, then the centers
 * and the final cost.
 *
 * <p>Each Lloyd step is one job: {@link RDD#treeAggregate} over the cached points into one
 * {@code double[]} holding, per center, the sum of its points and their count, plus the total cost.
 */
public final class KMeans {

    private static final Pattern SEPARATORS = Pattern.compile("[,\\s]+");

    /**
     * The result of a run.
     *
     * @param centers     the final centers
     * @param cost        the sum of squared distances from each point to its nearest final center
     * @param costHistory the cost of the centers at the start of each iteration
     */
    public record Result(double[][] centers, double cost, List<Double> costHistory) {
    }

    private KMeans() {
    }

    /** Parses a line of numbers separated by commas or whitespace; fails naming the line. */
    public static double[] parse(String line) {
        String[] fields = SEPARATORS.split(line.trim());
        double[] x = new double[fields.length];
        try {
            for (int i = 0; i < fields.length; i++) {
                x[i] = Double.parseDouble(fields[i]);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Not a number in line '" + line + "': " + e.getMessage(), e);
        }
        return x;
    }

    /** Picks {@code k} points at random as initial centers (all points if there are fewer than k). */
    public static double[][] randomCenters(RDD<double[]> points, int k, long seed) {
        return points.takeSample(false, k, seed).stream().map(double[]::clone).toArray(double[][]::new);
    }

    /**
     * Runs Lloyd's algorithm from {@code initialCenters} for at most {@code iterations} steps.
     *
     * @param points  the points, ideally cached; all of the centers' dimension
     * @param epsilon stop early when no center moves further than this (0: never stop early)
     */
    public static Result run(RDD<double[]> points, double[][] initialCenters, int iterations, double epsilon) {
        if (initialCenters.length == 0) {
            throw new IllegalArgumentException("k-means needs at least one initial center");
        }
        double[][] centers = copy(initialCenters);
        List<Double> history = new ArrayList<>();
        for (int it = 0; it < iterations; it++) {
            double[] sums = assign(points, centers);
            int k = centers.length;
            int d = centers[0].length;
            history.add(sums[k * (d + 1)]);
            double[][] next = new double[k][];
            double moved = 0;
            for (int c = 0; c < k; c++) {
                double count = sums[c * (d + 1) + d];
                next[c] = new double[d];
                for (int j = 0; j < d; j++) {
                    // An empty cluster keeps its center.
                    next[c][j] = count == 0 ? centers[c][j] : sums[c * (d + 1) + j] / count;
                }
                moved = Math.max(moved, Math.sqrt(squaredDistance(next[c], centers[c])));
            }
            centers = next;
            if (moved <= epsilon) {
                break;
            }
        }
        return new Result(centers, assign(points, centers)[centers.length * (centers[0].length + 1)], history);
    }

    /**
     * One pass over the points: per center the sum of its points' coordinates and their count
     * (layout {@code [c * (d + 1) + j]}, count at {@code j = d}), and the total cost at index
     * {@code k * (d + 1)}.
     */
    static double[] assign(RDD<double[]> points, double[][] centers) {
        double[][] cs = copy(centers); // the lambdas capture this iteration's centers
        int k = cs.length;
        int d = cs[0].length;
        return points.treeAggregate(new double[k * (d + 1) + 1],
                (acc, x) -> {
                    if (x.length != d) {
                        throw new IllegalArgumentException("Every point needs " + d + " coordinates, but "
                                + Arrays.toString(x) + " has " + x.length);
                    }
                    int best = 0;
                    double bestDistance = squaredDistance(x, cs[0]);
                    for (int c = 1; c < k; c++) {
                        double dist = squaredDistance(x, cs[c]);
                        if (dist < bestDistance) {
                            best = c;
                            bestDistance = dist;
                        }
                    }
                    int base = best * (d + 1);
                    for (int j = 0; j < d; j++) {
                        acc[base + j] += x[j];
                    }
                    acc[base + d] += 1;
                    acc[k * (d + 1)] += bestDistance;
                    return acc;
                },
                GradientDescent::addInto);
    }

    /** The squared Euclidean distance between two points of the same dimension. */
    public static double squaredDistance(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double t = a[j] - b[j];
            s += t * t;
        }
        return s;
    }

    /** The i-th synthetic point: a Gaussian blob (sd 1) around one of k centers spread over [-10, 10]^d. */
    public static double[] synthetic(long seed, long i, int dims, int k) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
        SplittableRandom centers = new SplittableRandom(seed);
        int cluster = random.nextInt(k);
        double[] x = new double[dims];
        for (int c = 0; c <= cluster; c++) {
            for (int j = 0; j < dims; j++) {
                x[j] = centers.nextDouble(-10, 10);
            }
        }
        for (int j = 0; j < dims; j++) {
            x[j] += random.nextGaussian();
        }
        return x;
    }

    private static double[][] copy(double[][] centers) {
        double[][] c = new double[centers.length][];
        for (int i = 0; i < centers.length; i++) {
            c[i] = centers[i].clone();
        }
        return c;
    }

    /** Runs the example; {@code --help} lists the options and their defaults. */
    public static void main(String[] args) throws Exception {
        ExampleCommand.main(new Cli(), args);
    }

    /** The command line of {@code kmeans}. */
    @Command(name = "kmeans", sortOptions = false, showDefaultValues = true,
            description = {"K-means clustering with Lloyd's algorithm, from k points sampled at random.",
                    "Prints the cost per iteration, the centers and the final cost.",
                    "Give either --input or --generate."})
    public static final class Cli implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ExampleCommand.HelpOption help;

        @Option(names = "--input", paramLabel = "<file>",
                description = "Points, one per line: numbers separated by commas or whitespace.")
        String input;

        @Option(names = "--generate", paramLabel = "<n>", description = "Generate n points around k random centers instead.")
        Long generate;

        @Option(names = "--dims", paramLabel = "<d>", description = "Dimensions of generated points.")
        int dims = 2;

        @Option(names = "--k", paramLabel = "<k>", description = "Number of clusters.")
        int k = 3;

        @Option(names = "--seed", paramLabel = "<s>", description = "Seed of the initial centers and of generated points.")
        long seed = 42;

        @Option(names = "--partitions", paramLabel = "<p>",
                description = "Partitions of generated points (default: the context's default parallelism).")
        Integer partitions;

        @Option(names = "--iterations", paramLabel = "<n>", description = "Most Lloyd steps to run.")
        int iterations = 20;

        @Option(names = "--epsilon", paramLabel = "<e>", description = "Stop when no center moves further than this.")
        double epsilon = 1e-9;

        @Override
        public Integer call() {
            if ((input == null) == (generate == null)) {
                throw ExampleCommand.usageError(spec, "give either --input FILE or --generate N (not both)");
            }
            ExampleCommand.requirePositive(spec, "--k", k);
            if (generate != null) {
                ExampleCommand.requirePositive(spec, "--generate", generate);
                ExampleCommand.requirePositive(spec, "--dims", dims);
            }
            try (KindlingContext kc = Kindling.builder().appName("kmeans").build()) {
                RDD<double[]> points;
                if (input != null) {
                    points = kc.textFile(input).filter(l -> !l.isBlank()).map(KMeans::parse);
                } else {
                    int d = dims;
                    int clusters = k;
                    long s = seed;
                    points = kc.range(0, generate, 1, partitions != null ? partitions : kc.defaultParallelism())
                            .map(i -> synthetic(s, i, d, clusters));
                }
                points.cache();
                double[][] initial = randomCenters(points, k, seed);
                if (initial.length == 0) {
                    throw new IllegalArgumentException("kmeans: the input " + input + " has no points");
                }
                Result result = run(points, initial, iterations, epsilon);
                for (int i = 0; i < result.costHistory().size(); i++) {
                    System.out.printf("iteration %d cost=%.6f%n", i + 1, result.costHistory().get(i));
                }
                for (double[] c : result.centers()) {
                    System.out.println("center " + Arrays.toString(c));
                }
                System.out.println("cost=" + result.cost());
            }
            return 0;
        }
    }
}
