package dev.kindling;

import dev.kindling.scheduler.SchedulerListener;
import java.util.List;

/**
 * A program for forked-JVM tests of the shutdown hook that calls {@code System.exit} from awkward
 * places: {@code ExitingProgram <local-dir> close} exits with 7 from a listener's {@code close()}
 * (so from inside {@link KindlingContext#close()}); {@code ExitingProgram <local-dir> task} exits
 * with 3 from a running task.
 */
public final class ExitingProgram {

    private ExitingProgram() {
    }

    /** A listener whose close exits the JVM. */
    public static final class ExitOnClose implements SchedulerListener, AutoCloseable {
        @Override
        public void close() {
            System.exit(7);
        }
    }

    /** Runs the chosen case. */
    public static void main(String[] args) {
        Kindling.Builder builder = Kindling.builder().master("local[2]").config(KindlingConf.LOCAL_DIR, args[0])
                .config(KindlingConf.SHUTDOWN_TIMEOUT_MS, "500");
        if (args[1].equals("close")) {
            builder.config(KindlingConf.EXTRA_LISTENERS, ExitOnClose.class.getName());
        }
        try (KindlingContext kc = builder.build()) {
            if (args[1].equals("close")) {
                kc.parallelize(List.of(1, 2, 3), 2).count();
            } else {
                kc.parallelize(List.of(1, 2), 2).map(x -> {
                    if (x == 1) {
                        System.exit(3);
                    }
                    Thread.sleep(600_000);
                    return x;
                }).collect();
            }
        }
        System.exit(0);
    }
}
