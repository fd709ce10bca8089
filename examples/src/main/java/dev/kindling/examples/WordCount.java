package dev.kindling.examples;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;

/**
 * Counts words (maximal runs of non-whitespace characters) in text files and writes
 * {@code word<TAB>count} lines into part files plus {@code _SUCCESS}.
 *
 * <pre>bin/kindling run wordcount &lt;input&gt; &lt;output-dir&gt;</pre>
 */
public final class WordCount {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private WordCount() {
    }

    /**
     * Builds the word-count pipeline over the lines of {@code input}. Asks for four splits per
     * executor thread, so that the threads finish their share of a big file at about the same time
     * (with the default, 200 MB in 32 MB splits makes 7 tasks: one thread reads 4 of them).
     */
    public static PairRDD<String, Long> count(KindlingContext kc, String input) {
        return kc.textFile(input, 4 * kc.defaultParallelism())
                .flatMap(WordCount::words)
                .mapToPair(word -> Pair.of(word, 1L))
                .reduceByKey(Long::sum);
    }

    /**
     * The words of a line: walks the array the split returns, without copying it (this runs once
     * per line). A split on {@code \s+} gives an empty string only first, for a line that starts
     * with whitespace, or for an empty line; those are skipped.
     */
    static Iterator<String> words(String line) {
        String[] parts = WHITESPACE.split(line);
        return new Iterator<>() {
            private int next = parts.length > 0 && parts[0].isEmpty() ? 1 : 0;

            @Override
            public boolean hasNext() {
                return next < parts.length;
            }

            @Override
            public String next() {
                if (next >= parts.length) {
                    throw new NoSuchElementException();
                }
                return parts[next++];
            }
        };
    }

    /** Runs the example: {@code wordcount <input> <output-dir>}. */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: wordcount <input> <output-dir>");
            System.exit(2);
        }
        try (KindlingContext kc = Kindling.builder().appName("wordcount").build()) {
            PairRDD<String, Long> counts = count(kc, args[0]);
            counts.map(kv -> kv.key() + "\t" + kv.value()).saveAsTextFile(args[1]);
            System.out.println("Wrote word counts to " + args[1]);
        }
    }
}
