package dev.kindling.shell;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import java.util.Arrays;

/**
 * The application {@link YarnClusterTest} submits with {@code --deploy-mode cluster} (packed into an
 * application jar of its own): {@code wordcount IN OUT} counts the words of the text files under IN
 * into OUT ({@code word<TAB>count} lines) on a context built as any application builds one;
 * {@code fail} throws before building a context.
 */
public final class ClusterModeApp {

    /** The message of the exception that {@code fail} throws. */
    static final String FAILURE = "the cluster-mode application failed on purpose";

    private ClusterModeApp() {
    }

    /** Runs {@code wordcount IN OUT} or {@code fail}. */
    public static void main(String[] args) {
        if (args[0].equals("fail")) {
            throw new IllegalStateException(FAILURE);
        }
        try (KindlingContext kc = Kindling.builder().build()) {
            kc.textFile(args[1], 4)
                    .flatMap(l -> Arrays.stream(l.split(" ")).filter(w -> !w.isEmpty()).iterator())
                    .mapToPair(w -> Pair.of(w, 1L))
                    .reduceByKey(Long::sum, 3)
                    .map(p -> p.key() + "\t" + p.value())
                    .saveAsTextFile(args[2]);
        }
    }
}
