package dev.kindling.shell.streaming;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The end-of-job counters report, laid out like Hadoop's: {@code Counters: N}, then groups (File
 * System, Job, Map-Reduce Framework, File Input/Output Format, then user groups) of
 * {@code Name=value} lines.
 */
final class StreamingReport {

    private StreamingReport() {
    }

    static void print(PrintStream err, StreamingProgress progress, Map<String, Map<String, Long>> framework,
                      Map<String, Map<String, Long>> user, long bytesRead, long bytesWritten, boolean mapOnly) {
        Map<String, Long> fw = framework.getOrDefault(StreamingTasks.FRAMEWORK, Map.of());
        Map<String, Map<String, Long>> groups = new LinkedHashMap<>();
        Map<String, Long> fs = new LinkedHashMap<>();
        fs.put("FILE: Number of bytes read", bytesRead);
        fs.put("FILE: Number of bytes written", bytesWritten);
        groups.put("File System Counters", fs);
        Map<String, Long> job = new LinkedHashMap<>();
        job.put("Launched map tasks", progress.launchedMaps);
        if (!mapOnly) {
            job.put("Launched reduce tasks", progress.launchedReduces);
        }
        if (progress.failedMaps > 0) {
            job.put("Failed map tasks", progress.failedMaps);
        }
        if (progress.failedReduces > 0) {
            job.put("Failed reduce tasks", progress.failedReduces);
        }
        groups.put("Job Counters ", job);
        Map<String, Long> mr = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(List.of("Map input records", "Map output records"));
        if (!mapOnly) {
            names.add("Map output bytes");
            names.add("Combine input records");
            names.add("Combine output records");
            names.add("Reduce input groups");
            names.add("Reduce input records");
            names.add("Reduce output records");
        }
        for (String name : names) {
            mr.put(name, fw.getOrDefault(name, 0L));
        }
        mr.put("Spilled Records", 0L);
        groups.put(StreamingTasks.FRAMEWORK, mr);
        groups.put("File Input Format Counters ", Map.of("Bytes Read", bytesRead));
        groups.put("File Output Format Counters ", Map.of("Bytes Written", bytesWritten));
        user.forEach((g, counters) -> groups.merge(g, counters, (a, b) -> {
            Map<String, Long> merged = new LinkedHashMap<>(a);
            b.forEach((k, v) -> merged.merge(k, v, Long::sum));
            return merged;
        }));
        int n = groups.values().stream().mapToInt(Map::size).sum();
        err.println("Counters: " + n);
        groups.forEach((g, counters) -> {
            err.println("\t" + g);
            counters.forEach((k, v) -> err.println("\t\t" + k + "=" + v));
        });
    }
}
