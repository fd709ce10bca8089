package dev.kindling.shell.ui;

import dev.kindling.internal.rdd.StorageStatus;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;

/**
 * {@code /metrics} in Prometheus' text exposition format (version 0.0.4): job, stage and task counts,
 * task time, input, output, shuffle and spill totals (counters summed over every task the application
 * ran, not only the retained ones), the memory budget in use, and JVM heap, GC and thread gauges.
 * Every series carries the application id as the {@code app} label; the {@code kindling_executor_*}
 * series are per executor (label {@code executor}: {@code driver}, or an executor process's id on
 * {@code local-cluster}), with {@code kindling_executor_active} 1 while it runs and 0 once it left.
 */
final class PrometheusMetrics {

    /** The content type Prometheus expects for this format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusMetrics() {
    }

    static String render(UiApp app) {
        StringBuilder b = new StringBuilder(4096);
        String label = "{app=\"" + labelValue(app.id()) + "\"}";
        app.store().read(() -> {
            StatusStore s = app.store();
            int running = 0, succeeded = 0, failed = 0;
            for (UiJob j : s.jobs.values()) {
                switch (j.status) {
                    case "RUNNING" -> running++;
                    case "SUCCEEDED" -> succeeded++;
                    default -> failed++;
                }
            }
            gauge(b, "kindling_jobs_active", "Jobs running now.", label, running);
            gauge(b, "kindling_jobs_retained_succeeded", "Succeeded jobs the UI keeps.", label, succeeded);
            gauge(b, "kindling_jobs_retained_failed", "Failed jobs the UI keeps.", label, failed);
            long activeStages = s.stages.values().stream().filter(st -> !st.finished()).count();
            gauge(b, "kindling_stages_active", "Stage attempts running now.", label, activeStages);
            UiExecutor e = new UiExecutor("all");
            MetricTotals t = e.totals;
            for (UiExecutor x : s.executors.values()) {
                e.activeTasks += x.activeTasks;
                e.completedTasks += x.completedTasks;
                e.failedTasks += x.failedTasks;
                e.killedTasks += x.killedTasks;
                t.addAll(x.totals);
            }
            gauge(b, "kindling_tasks_active", "Tasks running now.", label, e.activeTasks);
            counter(b, "kindling_tasks_completed_total", "Tasks that succeeded.", label, e.completedTasks);
            counter(b, "kindling_tasks_failed_total", "Tasks that failed.", label, e.failedTasks);
            counter(b, "kindling_tasks_killed_total", "Tasks killed by a cancellation.", label, e.killedTasks);
            counter(b, "kindling_task_run_seconds_total", "Wall time of tasks on executor threads.", label,
                    t.runNanos / 1e9);
            counter(b, "kindling_task_cpu_seconds_total", "CPU time of tasks.", label, t.cpuNanos / 1e9);
            counter(b, "kindling_task_gc_seconds_total", "JVM GC time while tasks ran (shared by concurrent tasks).",
                    label, t.gcMillis / 1e3);
            counter(b, "kindling_input_bytes_total", "Bytes read from input files.", label, t.inputBytes);
            counter(b, "kindling_input_records_total", "Records read from sources.", label, t.inputRecords);
            counter(b, "kindling_output_bytes_total", "Bytes written by saves.", label, t.outputBytes);
            counter(b, "kindling_output_records_total", "Records written by saves.", label, t.outputRecords);
            counter(b, "kindling_shuffle_read_bytes_total", "Shuffle bytes read.", label, t.shuffleReadBytes);
            counter(b, "kindling_shuffle_read_records_total", "Shuffle records read.", label, t.shuffleReadRecords);
            counter(b, "kindling_shuffle_write_bytes_total", "Shuffle bytes written.", label, t.shuffleWriteBytes);
            counter(b, "kindling_shuffle_write_records_total", "Shuffle records written.", label, t.shuffleWriteRecords);
            counter(b, "kindling_memory_spilled_bytes_total", "In-memory bytes of spilled data.", label,
                    t.memoryBytesSpilled);
            counter(b, "kindling_disk_spilled_bytes_total", "Bytes of spill files.", label, t.diskBytesSpilled);
            perExecutor(b, s, app.id());
            return null;
        });
        if (app.context() != null && !app.context().isClosed()) {
            StorageStatus.Memory m = StorageStatus.memory(app.context());
            gauge(b, "kindling_memory_max_bytes", "Memory budget shared by execution and cached blocks.", label,
                    m.maxBytes());
            gauge(b, "kindling_memory_storage_used_bytes", "Memory held by cached blocks.", label, m.storageUsed());
            gauge(b, "kindling_memory_execution_used_bytes", "Memory held by running tasks' buffers.", label,
                    m.executionUsed());
            gauge(b, "kindling_memory_execution_peak_bytes", "Most execution memory held at once.", label,
                    m.peakExecutionUsed());
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        gauge(b, "jvm_memory_heap_used_bytes", "JVM heap in use.", label, memory.getHeapMemoryUsage().getUsed());
        gauge(b, "jvm_memory_heap_max_bytes", "JVM maximum heap.", label, memory.getHeapMemoryUsage().getMax());
        long gcCount = 0, gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        counter(b, "jvm_gc_collections_total", "JVM garbage collections.", label, gcCount);
        counter(b, "jvm_gc_seconds_total", "JVM garbage collection time.", label, gcMillis / 1e3);
        gauge(b, "jvm_threads_live", "Live JVM threads.", label, ManagementFactory.getThreadMXBean().getThreadCount());
        return b.toString();
    }

    /** The per-executor series: one HELP and TYPE per name, then a line per executor. */
    private static void perExecutor(StringBuilder b, StatusStore s, String appId) {
        java.util.List<UiExecutor> all = java.util.List.copyOf(s.executors.values());
        family(b, "kindling_executor_active", "1 while the executor runs, 0 once it left.", "gauge", appId, all,
                e -> s.isActive(e) ? 1 : 0);
        family(b, "kindling_executor_cores", "Task slots of the executor.", "gauge", appId, all, e -> e.cores);
        family(b, "kindling_executor_tasks_active", "Tasks running on the executor now.", "gauge", appId, all,
                e -> e.activeTasks);
        family(b, "kindling_executor_tasks_completed_total", "Tasks that succeeded on the executor.", "counter",
                appId, all, e -> e.completedTasks);
        family(b, "kindling_executor_tasks_failed_total", "Tasks that failed on the executor.", "counter", appId,
                all, e -> e.failedTasks);
        family(b, "kindling_executor_task_seconds_total", "Wall time of the executor's tasks.", "counter", appId,
                all, e -> e.totalDuration / 1e3);
        family(b, "kindling_executor_gc_seconds_total", "JVM GC time while the executor's tasks ran.", "counter",
                appId, all, e -> e.totals.gcMillis / 1e3);
        family(b, "kindling_executor_shuffle_read_bytes_total", "Shuffle bytes the executor's tasks read.",
                "counter", appId, all, e -> e.totals.shuffleReadBytes);
        family(b, "kindling_executor_shuffle_write_bytes_total", "Shuffle bytes the executor's tasks wrote.",
                "counter", appId, all, e -> e.totals.shuffleWriteBytes);
    }

    private static void family(StringBuilder b, String name, String help, String type, String appId,
                               java.util.List<UiExecutor> executors,
                               java.util.function.ToDoubleFunction<UiExecutor> value) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n');
        for (UiExecutor e : executors) {
            b.append(name).append("{app=\"").append(labelValue(appId)).append("\",executor=\"")
                    .append(labelValue(e.id)).append("\"} ");
            number(b, value.applyAsDouble(e));
            b.append('\n');
        }
    }

    private static void gauge(StringBuilder b, String name, String help, String label, double value) {
        series(b, name, help, "gauge", label, value);
    }

    private static void counter(StringBuilder b, String name, String help, String label, double value) {
        series(b, name, help, "counter", label, value);
    }

    private static void series(StringBuilder b, String name, String help, String type, String label, double value) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n')
                .append(name).append(label).append(' ');
        number(b, value);
        b.append('\n');
    }

    private static void number(StringBuilder b, double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            b.append((long) value);
        } else {
            b.append(String.format(Locale.ROOT, "%.6f", value));
        }
    }

    /** A label value with backslash, quote and line break escaped, as the format requires. */
    static String labelValue(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
