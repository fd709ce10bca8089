package dev.kindling.internal.io;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import java.util.List;

/**
 * A JVM for {@link PipeProcessTreeTest}: runs two pipe tasks whose commands never end
 * ({@code sh -c "sleep M | tr M M"}, M the marker given as the only argument) until it is killed.
 */
public final class PipeUnderSigterm {

    private PipeUnderSigterm() {
    }

    /** Runs the never-ending job; {@code args[0]} is the marker. */
    public static void main(String[] args) {
        String m = args[0];
        KindlingContext kc = Kindling.builder().master("local[2]").build();
        kc.parallelize(List.of(0, 1), 2).pipe(List.of("sh", "-c", "sleep " + m + " | tr " + m + " " + m)).count();
        kc.close();
    }
}
