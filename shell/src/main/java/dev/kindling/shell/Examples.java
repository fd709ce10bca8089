package dev.kindling.shell;

import dev.kindling.examples.WordCount;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/** The examples that {@code bin/kindling run <name>} knows, by name. */
final class Examples {

    private Examples() {
    }

    /** Example name to its main method. */
    static Map<String, Consumer<String[]>> all() {
        Map<String, Consumer<String[]>> examples = new TreeMap<>();
        examples.put("wordcount", WordCount::main);
        examples.put("logreg", dev.kindling.examples.LogisticRegression::main);
        examples.put("linreg", dev.kindling.examples.LinearRegression::main);
        examples.put("kmeans", dev.kindling.examples.KMeans::main);
        examples.put("pagerank", dev.kindling.examples.PageRank::main);
        return examples;
    }
}
