package dev.kindling.examples;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs {@link WordCount#count} on one file in its own JVM and prints {@code word<TAB>count} lines
 * in word order, for tests that fork a small-heap JVM: {@code WordCountProbe <input>}.
 */
public final class WordCountProbe {

    private WordCountProbe() {
    }

    /** Counts the words of {@code args[0]} and prints them. */
    public static void main(String[] args) {
        try (KindlingContext kc = Kindling.builder().appName("wordcount-probe").build()) {
            Map<String, Long> counts = new TreeMap<>(WordCount.count(kc, args[0]).collectAsMap());
            StringBuilder out = new StringBuilder();
            counts.forEach((w, n) -> out.append(w).append('\t').append(n).append('\n'));
            System.out.print(out);
        }
    }
}
