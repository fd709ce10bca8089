package dev.kindling.examples;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.RDD;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * Counts words (maximal runs of non-whitespace characters) in text files and writes
 * {@code word<TAB>count} lines into part files plus {@code _SUCCESS}.
 *
 * <pre>bin/kindling run wordcount &lt;input&gt; &lt;output-dir&gt;</pre>
 */
public final class WordCount {

    private WordCount() {
    }

    /**
     * Builds the word-count pipeline over the lines of {@code input}, in one map task per executor
     * thread. Asks for one split per thread; when the input is bigger than that many splits can be
     * (32 MB each), for the smallest multiple of the thread count that keeps splits within that
     * size, so that the splits are of equal size (the default would cut 100 MB into 32, 32, 32 and
     * 4 MB, and 200 MB into 7 splits for 2 threads), and then coalesces them into one partition
     * per thread, each reading an equal run of splits. Every map task's combiners hold the whole
     * vocabulary of what it reads, so more tasks multiply the combining and the shuffle: 200 MB of
     * text counted in 3.0-3.8 s as two tasks against 3.9-4.8 s as eight splits of 25 MB
     * ({@code PlainBenchmark}, 2 threads). The price is coarser recovery (a lost task re-reads its
     * whole share) and, on HDFS, tasks that read some blocks remotely.
     */
    public static PairRDD<String, Long> count(KindlingContext kc, String input) {
        int threads = kc.defaultParallelism();
        RDD<String> lines = kc.textFile(input, threads);
        int splits = lines.getNumPartitions();
        if (splits > threads) {
            lines = kc.textFile(input, (splits + threads - 1) / threads * threads).coalesce(threads);
        }
        // reduceByKey(Long::sum) as a user writes it: the combine map holds the counts unboxed, so a
        // hand-made mutable counter (a long[] added into in place) measured no faster.
        return lines
                .flatMap(WordCount::words)
                .mapToPair(word -> Pair.of(word, 1L))
                .reduceByKey(Long::sum);
    }

    /**
     * The words of a line, found lazily: each call to {@code next()} scans to the end of one word
     * and returns it as a substring, so memory per line stays the line itself plus one word, however
     * long the line is (a 50 MB line with no newline needs no array of millions of words).
     * Whitespace is what {@code \s} matches: space, tab, newline, vertical tab, form feed and
     * carriage return; empty words are never returned.
     */
    static Iterator<String> words(String line) {
        return new Iterator<>() {
            private int start = skipWhitespace(line, 0);

            @Override
            public boolean hasNext() {
                return start < line.length();
            }

            @Override
            public String next() {
                int from = start;
                int length = line.length();
                if (from >= length) {
                    throw new NoSuchElementException();
                }
                int end = from + 1;
                while (end < length && !isWhitespace(line.charAt(end))) {
                    end++;
                }
                start = skipWhitespace(line, end);
                return line.substring(from, end);
            }
        };
    }

    private static int skipWhitespace(String line, int from) {
        int i = from;
        int length = line.length();
        while (i < length && isWhitespace(line.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The characters of the regex class {@code \s}: {@code [ \t\n\x0B\f\r]}. */
    private static boolean isWhitespace(char c) {
        return c == ' ' || c >= '\t' && c <= '\r';
    }

    /** Runs the example: {@code wordcount <input> <output-dir>}; {@code --help} lists the arguments. */
    public static void main(String[] args) throws Exception {
        ExampleCommand.main(new Cli(), args);
    }

    /** The command line of {@code wordcount}. */
    @Command(name = "wordcount", sortOptions = false, showDefaultValues = true,
            description = "Counts words (maximal runs of non-whitespace) in text files and writes word<TAB>count "
                    + "lines into part files plus _SUCCESS.")
    public static final class Cli implements Callable<Integer> {

        @Mixin
        ExampleCommand.HelpOption help;

        @Parameters(index = "0", paramLabel = "<input>",
                description = "Text input: a file, a directory, a glob or a comma-separated list.")
        String input;

        @Parameters(index = "1", paramLabel = "<output-dir>", description = "Directory to write; it must not exist yet.")
        String output;

        @Override
        public Integer call() {
            try (KindlingContext kc = Kindling.builder().appName("wordcount").build()) {
                PairRDD<String, Long> counts = count(kc, input);
                counts.map(kv -> kv.key() + "\t" + kv.value()).saveAsTextFile(output);
                System.out.println("Wrote word counts to " + output);
            }
            return 0;
        }
    }
}
