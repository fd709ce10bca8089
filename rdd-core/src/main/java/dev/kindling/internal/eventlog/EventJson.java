package dev.kindling.internal.eventlog;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.kindling.internal.scheduler.TaskContextAccess;
import dev.kindling.internal.scheduler.TaskMetric;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.TaskLocality;
import dev.kindling.scheduler.TaskMetrics;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The event log's line schema: turns an {@link ApplicationInfo}, each {@link SchedulerEvent} and the
 * application's end into one JSON object, and back. Field names are the camelCase ones of Spark's
 * REST API ({@code jobId}, {@code stageIds}, {@code attemptId}, {@code numTasks}, {@code taskId});
 * every line has {@code event} (the type) and {@code time} (epoch milliseconds). README.md, section
 * "Event log", lists the fields of each type.
 *
 * <p>Lines are written with Jackson's streaming generator (no tree per event: the writer thread must
 * keep up with tens of thousands of tiny tasks a second) and read with its tree model. Strings are written by Jackson with every character outside printable ASCII escaped as
 * {@code \\uXXXX} (control characters, quotes and backslashes are always escaped), so a lone
 * surrogate in an exception message survives the round trip instead of turning into {@code ?}.
 */
public final class EventJson {

    /** Version of this schema, written in the application-start line as {@code schemaVersion}. */
    public static final int SCHEMA_VERSION = 1;

    /** Causes deeper than this are cut (a cause chain is rarely longer than a handful). */
    private static final int MAX_CAUSE_DEPTH = 16;

    private static final JsonMapper MAPPER = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private EventJson() {
    }

    /** Writes the application-start line's object. */
    static void writeApplicationStart(JsonGenerator g, ApplicationInfo app) throws IOException {
        begin(g, "ApplicationStart", app.startTime());
        g.writeNumberField("schemaVersion", app.schemaVersion());
        g.writeStringField("appId", app.appId());
        g.writeStringField("appName", app.appName());
        g.writeStringField("user", app.user());
        g.writeStringField("kindlingVersion", app.kindlingVersion());
        g.writeObjectFieldStart("configuration");
        for (Map.Entry<String, String> e : app.configuration().entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    /** Writes the application-end line's object; {@code droppedEvents} counts events lost to a full queue. */
    static void writeApplicationEnd(JsonGenerator g, long time, long droppedEvents) throws IOException {
        begin(g, "ApplicationEnd", time);
        g.writeNumberField("droppedEvents", droppedEvents);
        g.writeEndObject();
    }

    /** Writes one scheduler event as an object (no line break). */
    static void write(JsonGenerator g, SchedulerEvent event) throws IOException {
        if (event instanceof SchedulerEvent.JobStart e) {
            begin(g, "JobStart", e.time());
            g.writeNumberField("jobId", e.jobId());
            g.writeStringField("description", e.description());
            g.writeStringField("jobGroup", e.jobGroup());
            g.writeArrayFieldStart("stageIds");
            for (int id : e.stageIds()) {
                g.writeNumber(id);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("stageInfos");
            for (SchedulerEvent.StageInfo stage : e.stageInfos()) {
                writeStageObject(g, stage);
            }
            g.writeEndArray();
        } else if (event instanceof SchedulerEvent.JobEnd e) {
            begin(g, "JobEnd", e.time());
            g.writeNumberField("jobId", e.jobId());
            g.writeBooleanField("succeeded", e.succeeded());
            g.writeFieldName("failure");
            writeFailure(g, e.failure(), 0);
        } else if (event instanceof SchedulerEvent.StageSubmitted e) {
            begin(g, "StageSubmitted", e.time());
            writeStage(g, e.stage());
        } else if (event instanceof SchedulerEvent.StageCompleted e) {
            begin(g, "StageCompleted", e.time());
            writeStage(g, e.stage());
            g.writeStringField("failureReason", e.failureReason());
        } else if (event instanceof SchedulerEvent.TaskStart e) {
            begin(g, "TaskStart", e.time());
            g.writeNumberField("stageId", e.stageId());
            g.writeNumberField("stageAttemptId", e.stageAttempt());
            writeTask(g, e.task());
        } else if (event instanceof SchedulerEvent.TaskEnd e) {
            begin(g, "TaskEnd", e.time());
            g.writeNumberField("stageId", e.stageId());
            g.writeNumberField("stageAttemptId", e.stageAttempt());
            writeTask(g, e.task());
            g.writeStringField("status", e.status());
            writeMetrics(g, e.metrics());
            g.writeFieldName("failure");
            writeFailure(g, e.failure(), 0);
        } else if (event instanceof SchedulerEvent.ExecutorAdded e) {
            begin(g, "ExecutorAdded", e.time());
            g.writeStringField("executorId", e.executorId());
            g.writeStringField("host", e.host());
            g.writeNumberField("port", e.port());
            g.writeNumberField("totalCores", e.cores());
        } else if (event instanceof SchedulerEvent.ExecutorRemoved e) {
            begin(g, "ExecutorRemoved", e.time());
            g.writeStringField("executorId", e.executorId());
            g.writeStringField("reason", e.reason());
        } else if (event instanceof SchedulerEvent.BlockUpdated e) {
            begin(g, "BlockUpdated", e.time());
            g.writeStringField("executorId", e.executorId());
            g.writeNumberField("rddId", e.rddId());
            g.writeNumberField("partition", e.partition());
            g.writeStringField("storageLevel", e.storageLevel());
            g.writeNumberField("memSize", e.memoryBytes());
            g.writeNumberField("diskSize", e.diskBytes());
        } else {
            throw new IllegalArgumentException("Unknown scheduler event type " + event.getClass().getName()
                    + "; add it to EventJson and to README.md's event log schema");
        }
        g.writeEndObject();
    }

    /** A generator writing to {@code out} with every non-ASCII character escaped. */
    static JsonGenerator generator(Writer out) throws IOException {
        return MAPPER.getFactory().createGenerator(out);
    }

    /** Parses one line; fails with Jackson's exception (which names the column) if it is not a JSON object. */
    static JsonNode parse(String line) throws JsonProcessingException {
        JsonNode node = MAPPER.readTree(line);
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object: " + abbreviate(line));
        }
        return node;
    }

    /** The application described by an {@code ApplicationStart} object. */
    static ApplicationInfo applicationInfo(JsonNode n) {
        Map<String, String> conf = new LinkedHashMap<>();
        n.path("configuration").fields().forEachRemaining(f -> conf.put(f.getKey(), f.getValue().asText()));
        return new ApplicationInfo(n.path("schemaVersion").asInt(), text(n, "appId"), text(n, "appName"),
                n.path("time").asLong(), text(n, "user"), text(n, "kindlingVersion"),
                Collections.unmodifiableMap(conf));
    }

    /** The scheduler event an object describes, or null for a type this reader does not know. */
    static SchedulerEvent fromJson(JsonNode n) {
        long time = n.path("time").asLong();
        switch (n.path("event").asText()) {
            case "JobStart": {
                List<Integer> ids = new ArrayList<>();
                n.path("stageIds").forEach(id -> ids.add(id.asInt()));
                List<SchedulerEvent.StageInfo> infos = new ArrayList<>();
                n.path("stageInfos").forEach(s -> infos.add(stage(s)));
                return new SchedulerEvent.JobStart(time, n.path("jobId").asInt(), text(n, "description"),
                        text(n, "jobGroup"), List.copyOf(ids), List.copyOf(infos));
            }
            case "JobEnd":
                return new SchedulerEvent.JobEnd(time, n.path("jobId").asInt(), failure(n.path("failure")));
            case "StageSubmitted":
                return new SchedulerEvent.StageSubmitted(time, stage(n.path("stage")));
            case "StageCompleted":
                return new SchedulerEvent.StageCompleted(time, stage(n.path("stage")), text(n, "failureReason"));
            case "TaskStart":
                return new SchedulerEvent.TaskStart(time, n.path("stageId").asInt(), n.path("stageAttemptId").asInt(),
                        task(n.path("task")));
            case "TaskEnd":
                return new SchedulerEvent.TaskEnd(time, n.path("stageId").asInt(), n.path("stageAttemptId").asInt(),
                        task(n.path("task")), metrics(n.path("metrics")), text(n, "status"), failure(n.path("failure")));
            case "ExecutorAdded":
                return new SchedulerEvent.ExecutorAdded(time, text(n, "executorId"), text(n, "host"),
                        n.path("port").asInt(-1), n.path("totalCores").asInt());
            case "ExecutorRemoved":
                return new SchedulerEvent.ExecutorRemoved(time, text(n, "executorId"), text(n, "reason"));
            case "BlockUpdated":
                return new SchedulerEvent.BlockUpdated(time, text(n, "executorId"), n.path("rddId").asInt(),
                        n.path("partition").asInt(), text(n, "storageLevel"), n.path("memSize").asLong(-1),
                        n.path("diskSize").asLong(-1));
            default:
                return null;
        }
    }

    private static void begin(JsonGenerator g, String type, long time) throws IOException {
        g.writeStartObject();
        g.writeStringField("event", type);
        g.writeNumberField("time", time);
    }

    private static void writeStage(JsonGenerator g, SchedulerEvent.StageInfo s) throws IOException {
        g.writeFieldName("stage");
        writeStageObject(g, s);
    }

    private static void writeStageObject(JsonGenerator g, SchedulerEvent.StageInfo s) throws IOException {
        g.writeStartObject();
        g.writeNumberField("stageId", s.stageId());
        g.writeNumberField("attemptId", s.attempt());
        g.writeStringField("name", s.name());
        g.writeNumberField("numTasks", s.numTasks());
        g.writeBooleanField("shuffleMap", s.shuffleMap());
        writeInts(g, "parentIds", s.parentIds());
        g.writeArrayFieldStart("rddInfos");
        for (SchedulerEvent.RddInfo r : s.rdds()) {
            g.writeStartObject();
            g.writeNumberField("id", r.id());
            g.writeStringField("name", r.name());
            g.writeStringField("callSite", r.callSite());
            g.writeNumberField("numPartitions", r.numPartitions());
            g.writeStringField("storageLevel", r.storageLevel());
            writeInts(g, "parentIds", r.parentIds());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeInts(JsonGenerator g, String field, List<Integer> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (int v : values) {
            g.writeNumber(v);
        }
        g.writeEndArray();
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asInt()));
        return List.copyOf(out);
    }

    /** A stage object; {@code parentIds} and {@code rddInfos} are optional (logs written before they existed). */
    private static SchedulerEvent.StageInfo stage(JsonNode n) {
        List<SchedulerEvent.RddInfo> rdds = new ArrayList<>();
        for (JsonNode r : n.path("rddInfos")) {
            rdds.add(new SchedulerEvent.RddInfo(r.path("id").asInt(), text(r, "name"), text(r, "callSite"),
                    r.path("numPartitions").asInt(), text(r, "storageLevel"), ints(r.path("parentIds"))));
        }
        return new SchedulerEvent.StageInfo(n.path("stageId").asInt(), n.path("attemptId").asInt(), text(n, "name"),
                n.path("numTasks").asInt(), n.path("shuffleMap").asBoolean(), ints(n.path("parentIds")),
                List.copyOf(rdds));
    }

    private static void writeTask(JsonGenerator g, SchedulerEvent.TaskInfo t) throws IOException {
        g.writeObjectFieldStart("task");
        g.writeNumberField("taskId", t.taskId());
        g.writeNumberField("partitionId", t.partition());
        g.writeNumberField("attempt", t.attempt());
        g.writeStringField("executorThread", t.executorThread());
        g.writeStringField("executorId", t.executorId());
        g.writeStringField("locality", t.locality().name());
        g.writeEndObject();
    }

    /** A task object; {@code executorId} is optional ({@code "driver"} in logs written before it existed). */
    private static SchedulerEvent.TaskInfo task(JsonNode n) {
        // Logs written before executor ids and localities were recorded read as the local executor's.
        String executorId = n.has("executorId") ? text(n, "executorId") : SchedulerEvent.TaskInfo.DRIVER;
        TaskLocality locality = TaskLocality.PROCESS_LOCAL;
        if (n.has("locality")) {
            try {
                locality = TaskLocality.valueOf(text(n, "locality"));
            } catch (IllegalArgumentException e) {
                locality = TaskLocality.ANY; // a level this version does not know
            }
        }
        return new SchedulerEvent.TaskInfo(n.path("taskId").asLong(), n.path("partitionId").asInt(),
                n.path("attempt").asInt(), text(n, "executorThread"), executorId, locality);
    }

    private static void writeMetrics(JsonGenerator g, TaskMetrics m) throws IOException {
        if (m == null) {
            g.writeNullField("metrics");
            return;
        }
        g.writeObjectFieldStart("metrics");
        g.writeNumberField("recordsRead", m.recordsRead());
        g.writeNumberField("recordsWritten", m.recordsWritten());
        g.writeNumberField("shuffleRecordsWritten", m.shuffleRecordsWritten());
        g.writeNumberField("shuffleBytesWritten", m.shuffleBytesWritten());
        g.writeNumberField("shuffleRecordsRead", m.shuffleRecordsRead());
        g.writeNumberField("shuffleBytesRead", m.shuffleBytesRead());
        g.writeNumberField("runNanos", m.runNanos());
        for (TaskMetric metric : TaskMetric.values()) {
            String field = MORE_METRICS.get(metric);
            if (field != null) {
                g.writeNumberField(field, value(m, metric));
            }
        }
        g.writeEndObject();
    }

    /**
     * The metrics written besides the seven fields of the first schema, by their JSON names (read as 0
     * when absent, in logs written before). Shuffle local bytes are not here: {@code shuffleBytesRead}
     * minus {@code shuffleRemoteBytesRead} gives them.
     */
    private static final Map<TaskMetric, String> MORE_METRICS = moreMetrics();

    private static Map<TaskMetric, String> moreMetrics() {
        Map<TaskMetric, String> m = new java.util.EnumMap<>(TaskMetric.class);
        m.put(TaskMetric.CPU_NANOS, "cpuNanos");
        m.put(TaskMetric.GC_MILLIS, "gcMillis");
        m.put(TaskMetric.DESERIALIZE_NANOS, "deserializeNanos");
        m.put(TaskMetric.RESULT_BYTES, "resultSize");
        m.put(TaskMetric.INPUT_BYTES, "inputBytesRead");
        m.put(TaskMetric.OUTPUT_BYTES, "outputBytesWritten");
        m.put(TaskMetric.OUTPUT_RECORDS, "outputRecordsWritten");
        m.put(TaskMetric.SHUFFLE_WRITE_NANOS, "shuffleWriteNanos");
        m.put(TaskMetric.SHUFFLE_REMOTE_BYTES_READ, "shuffleRemoteBytesRead");
        m.put(TaskMetric.SHUFFLE_FETCH_WAIT_NANOS, "shuffleFetchWaitNanos");
        m.put(TaskMetric.MEMORY_BYTES_SPILLED, "memoryBytesSpilled");
        m.put(TaskMetric.DISK_BYTES_SPILLED, "diskBytesSpilled");
        m.put(TaskMetric.PEAK_EXECUTION_MEMORY, "peakExecutionMemory");
        return java.util.Collections.unmodifiableMap(m);
    }

    private static long value(TaskMetrics m, TaskMetric metric) {
        return switch (metric) {
            case CPU_NANOS -> m.cpuNanos();
            case GC_MILLIS -> m.gcMillis();
            case DESERIALIZE_NANOS -> m.deserializeNanos();
            case RESULT_BYTES -> m.resultSize();
            case INPUT_BYTES -> m.inputBytesRead();
            case OUTPUT_BYTES -> m.outputBytesWritten();
            case OUTPUT_RECORDS -> m.outputRecordsWritten();
            case SHUFFLE_WRITE_NANOS -> m.shuffleWriteNanos();
            case SHUFFLE_REMOTE_BYTES_READ -> m.shuffleRemoteBytesRead();
            case SHUFFLE_FETCH_WAIT_NANOS -> m.shuffleFetchWaitNanos();
            case MEMORY_BYTES_SPILLED -> m.memoryBytesSpilled();
            case DISK_BYTES_SPILLED -> m.diskBytesSpilled();
            case PEAK_EXECUTION_MEMORY -> m.peakExecutionMemory();
            default -> throw new IllegalArgumentException("no JSON field for " + metric);
        };
    }

    private static TaskMetrics metrics(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        TaskMetrics m = new TaskMetrics();
        m.addRecordsRead(n.path("recordsRead").asLong());
        m.addRecordsWritten(n.path("recordsWritten").asLong());
        m.addShuffleWrite(n.path("shuffleRecordsWritten").asLong(), n.path("shuffleBytesWritten").asLong());
        m.addShuffleRead(n.path("shuffleRecordsRead").asLong(),
                n.path("shuffleBytesRead").asLong() - n.path("shuffleRemoteBytesRead").asLong());
        TaskContextAccess.get().setRunNanos(m, n.path("runNanos").asLong());
        for (Map.Entry<TaskMetric, String> e : MORE_METRICS.entrySet()) {
            long v = n.path(e.getValue()).asLong();
            if (v != 0) {
                TaskContextAccess.get().recordMetric(m, e.getKey(), v);
            }
        }
        return m;
    }

    /** An exception as {className, message, stackTrace: [{class, method, file, line}], cause}, or null. */
    private static void writeFailure(JsonGenerator g, Throwable t, int depth) throws IOException {
        if (t == null || depth > MAX_CAUSE_DEPTH) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeStringField("className", t instanceof LoggedException l ? l.className() : t.getClass().getName());
        g.writeStringField("message", t.getMessage());
        g.writeArrayFieldStart("stackTrace");
        for (StackTraceElement e : t.getStackTrace()) {
            g.writeStartObject();
            g.writeStringField("class", e.getClassName());
            g.writeStringField("method", e.getMethodName());
            g.writeStringField("file", e.getFileName());
            g.writeNumberField("line", e.getLineNumber());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeFieldName("cause");
        writeFailure(g, t.getCause() == t ? null : t.getCause(), depth + 1);
        g.writeEndObject();
    }

    private static LoggedException failure(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        List<StackTraceElement> frames = new ArrayList<>();
        for (JsonNode f : n.path("stackTrace")) {
            frames.add(new StackTraceElement(text(f, "class"), text(f, "method"), text(f, "file"),
                    f.path("line").asInt()));
        }
        return new LoggedException(text(n, "className"), text(n, "message"),
                frames.toArray(new StackTraceElement[0]), failure(n.path("cause")));
    }

    /** A string field, or null when absent or JSON null. */
    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "... (" + s.length() + " characters)";
    }
}
