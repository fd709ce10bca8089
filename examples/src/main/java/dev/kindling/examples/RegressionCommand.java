package dev.kindling.examples;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The command line shared by the regression examples ({@code logreg}, {@code linreg}): loads their
 * points from a text file or generates them, as the options say, and runs gradient descent printing
 * the loss. A subclass names the command, its loss and its default step.
 */
abstract class RegressionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ExampleCommand.HelpOption help;

    @Option(names = "--input", paramLabel = "<file>",
            description = "Points, one per line: the label, then the features, separated by commas or whitespace.")
    String input;

    @Option(names = "--generate", paramLabel = "<n>", description = "Generate n points from a known model instead.")
    Long generate;

    @Option(names = "--dims", paramLabel = "<d>", description = "Features of generated points (plus the intercept).")
    int dims = 10;

    @Option(names = "--seed", paramLabel = "<s>", description = "Seed of generated points.")
    long seed = 42;

    @Option(names = "--partitions", paramLabel = "<p>",
            description = "Partitions of generated points (default: the context's default parallelism).")
    Integer partitions;

    @Option(names = "--iterations", paramLabel = "<n>", description = "Gradient-descent iterations.")
    int iterations = 100;

    @Option(names = "--step", paramLabel = "<s>", description = "Step size.")
    double step;

    @Option(names = "--print-every", paramLabel = "<k>", description = "Print the loss every k iterations.")
    int printEvery = 1;

    private final String program;
    private final PointLoss loss;
    private final boolean logistic;

    /** A command named {@code program} training with {@code loss}; {@code step} is the default of {@code --step}. */
    RegressionCommand(String program, PointLoss loss, double step, boolean logistic) {
        this.program = program;
        this.loss = loss;
        this.step = step;
        this.logistic = logistic;
    }

    /**
     * Loads the points, packs them into blocks and caches those, trains with the loss and prints
     * every {@code --print-every}-th loss and the model.
     */
    @Override
    public Integer call() {
        if ((input == null) == (generate == null)) {
            throw ExampleCommand.usageError(spec, "give either --input FILE or --generate N (not both)");
        }
        if (generate != null) {
            ExampleCommand.requirePositive(spec, "--generate", generate);
            ExampleCommand.requirePositive(spec, "--dims", dims);
        }
        ExampleCommand.requirePositive(spec, "--step", step);
        int every = Math.max(1, printEvery);
        try (KindlingContext kc = Kindling.builder().appName(program).build()) {
            RDD<LabeledPoint> points = input != null ? loadFile(kc, input, program, logistic)
                    : generate(kc, generate, dims, seed, partitions != null ? partitions : kc.defaultParallelism(), logistic);
            RDD<PointBlock> blocks = PointBlock.blockify(points).cache();
            GradientDescent.Model model = GradientDescent.train(blocks, loss, iterations, step, (it, l, w) -> {
                if (it % every == 0 || it == 1) {
                    System.out.printf("iteration %d loss=%.6f%n", it, l);
                }
            });
            System.out.println(model.summary(logistic));
        }
        return 0;
    }

    /**
     * The points of a text file (blank lines skipped), not yet cached; with {@code logistic}, a label
     * other than 0 or 1 fails the job naming the point.
     */
    static RDD<LabeledPoint> loadFile(KindlingContext kc, String input, String program, boolean logistic) {
        RDD<LabeledPoint> points = kc.textFile(input)
                .filter(line -> !line.isBlank())
                .map(LabeledPoint::parse);
        if (logistic) {
            points = points.map(p -> {
                if (p.label() != 0.0 && p.label() != 1.0) {
                    throw new IllegalArgumentException(program + ": labels must be 0 or 1, got " + p.label()
                            + " in point " + p);
                }
                return p;
            });
        }
        return points;
    }

    /** {@code n} synthetic points with {@code dims} features (logistic or linear labels), not yet cached. */
    static RDD<LabeledPoint> generate(KindlingContext kc, long n, int dims, long seed, int partitions, boolean logistic) {
        return kc.range(0, n, 1, partitions).map(i -> LabeledPoint.synthetic(seed, i, dims, logistic));
    }
}
