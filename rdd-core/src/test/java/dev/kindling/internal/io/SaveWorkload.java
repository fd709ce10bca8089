package dev.kindling.internal.io;

import dev.kindling.Kindling;
import dev.kindling.KindlingConf;
import dev.kindling.KindlingContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A child-JVM workload for the output reliability tests. Modes:
 * <ul>
 *   <li>{@code loop <base> <partitions> <lines>}: saves the lines {@code "line 0"...} to
 *       {@code <base>/out-0}, {@code out-1}, ... until killed, printing {@code SAVING i} before each.</li>
 *   <li>{@code block <out> <release-file>}: saves to {@code out}, one partition of which waits until the
 *       release file exists (so a test can look at a save in progress, then kill it).</li>
 *   <li>{@code overwrite <out>...}: with {@value KindlingConf#OUTPUT_OVERWRITE}=true, tries to save one line
 *       to each path and prints {@code SAVED path} or {@code REFUSED path: message}.</li>
 * </ul>
 */
public final class SaveWorkload {

    private SaveWorkload() {
    }

    /** The lines the {@code loop} mode saves: {@code "line 0"} to {@code "line <n-1>"}. */
    public static List<String> lines(int n) {
        return IntStream.range(0, n).mapToObj(i -> "line " + i).collect(Collectors.toList());
    }

    /** Runs one mode; see the class comment. */
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "loop" -> {
                try (KindlingContext kc = Kindling.builder().master("local[2]")
                        .config(KindlingConf.SHOW_CONSOLE_PROGRESS, "false").build()) {
                    List<String> data = lines(Integer.parseInt(args[3]));
                    int parts = Integer.parseInt(args[2]);
                    System.out.println("READY");
                    for (int i = 0; ; i++) {
                        System.out.println("SAVING " + i);
                        kc.parallelize(data, parts).saveAsTextFile(Path.of(args[1], "out-" + i).toString());
                    }
                }
            }
            case "block" -> {
                try (KindlingContext kc = Kindling.builder().master("local[2]")
                        .config(KindlingConf.SHOW_CONSOLE_PROGRESS, "false").build()) {
                    String release = args[2];
                    System.out.println("READY " + ProcessHandle.current().pid());
                    kc.parallelize(lines(100), 2).mapPartitionsWithIndex((p, it) -> {
                        while (p == 1 && !Files.exists(Path.of(release))) {
                            Thread.sleep(10);
                        }
                        return it;
                    }, false).saveAsTextFile(args[1]);
                }
            }
            case "overwrite" -> {
                try (KindlingContext kc = Kindling.builder().master("local[1]")
                        .config(KindlingConf.SHOW_CONSOLE_PROGRESS, "false")
                        .config(KindlingConf.OUTPUT_OVERWRITE, "true").build()) {
                    for (int i = 1; i < args.length; i++) {
                        try {
                            kc.parallelize(List.of("x"), 1).saveAsTextFile(args[i]);
                            System.out.println("SAVED " + args[i]);
                        } catch (IllegalArgumentException | IllegalStateException e) {
                            System.out.println("REFUSED " + args[i] + ": " + e.getMessage());
                        }
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }
}
