package dev.kindling.shell;

import dev.kindling.examples.KMeans;
import dev.kindling.examples.LinearRegression;
import dev.kindling.examples.LogisticRegression;
import dev.kindling.examples.PageRank;
import dev.kindling.examples.WordCount;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The examples that {@code bin/kindling run <name>} knows, by name: each makes a fresh picocli
 * command object (see {@link dev.kindling.examples.ExampleCommand}), so {@code run <name> --help}
 * lists the example's own options.
 */
final class Examples {

    private Examples() {
    }

    /** Example name to a factory of its command. */
    static Map<String, Supplier<Object>> all() {
        Map<String, Supplier<Object>> examples = new TreeMap<>();
        examples.put("wordcount", WordCount.Cli::new);
        examples.put("logreg", LogisticRegression.Cli::new);
        examples.put("linreg", LinearRegression.Cli::new);
        examples.put("kmeans", KMeans.Cli::new);
        examples.put("pagerank", PageRank.Cli::new);
        return examples;
    }
}
