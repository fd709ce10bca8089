package dev.kindling.internal.eventlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.internal.scheduler.TaskContextAccess;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.TaskMetrics;
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
 * <p>Strings are written by Jackson with every character outside printable ASCII escaped as
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

    /** The application-start line's object. */
    static ObjectNode applicationStart(ApplicationInfo app) {
        ObjectNode n = event("ApplicationStart", app.startTime());
        n.put("schemaVersion", app.schemaVersion());
        n.put("appId", app.appId());
        n.put("appName", app.appName());
        n.put("user", app.user());
        n.put("kindlingVersion", app.kindlingVersion());
        ObjectNode conf = n.putObject("configuration");
        app.configuration().forEach(conf::put);
        return n;
    }

    /** The application-end line's object; {@code droppedEvents} counts events lost to a full queue. */
    static ObjectNode applicationEnd(long time, long droppedEvents) {
        ObjectNode n = event("ApplicationEnd", time);
        n.put("droppedEvents", droppedEvents);
        return n;
    }

    /** One scheduler event as an object. */
    static ObjectNode toJson(SchedulerEvent event) {
        if (event instanceof SchedulerEvent.JobStart e) {
            ObjectNode n = event("JobStart", e.time());
            n.put("jobId", e.jobId());
            n.put("description", e.description());
            n.put("jobGroup", e.jobGroup());
            ArrayNode ids = n.putArray("stageIds");
            e.stageIds().forEach(ids::add);
            return n;
        } else if (event instanceof SchedulerEvent.JobEnd e) {
            ObjectNode n = event("JobEnd", e.time());
            n.put("jobId", e.jobId());
            n.put("succeeded", e.succeeded());
            n.set("failure", failure(e.failure(), 0));
            return n;
        } else if (event instanceof SchedulerEvent.StageSubmitted e) {
            ObjectNode n = event("StageSubmitted", e.time());
            n.set("stage", stage(e.stage()));
            return n;
        } else if (event instanceof SchedulerEvent.StageCompleted e) {
            ObjectNode n = event("StageCompleted", e.time());
            n.set("stage", stage(e.stage()));
            n.put("failureReason", e.failureReason());
            return n;
        } else if (event instanceof SchedulerEvent.TaskStart e) {
            ObjectNode n = event("TaskStart", e.time());
            n.put("stageId", e.stageId());
            n.put("stageAttemptId", e.stageAttempt());
            n.set("task", task(e.task()));
            return n;
        } else if (event instanceof SchedulerEvent.TaskEnd e) {
            ObjectNode n = event("TaskEnd", e.time());
            n.put("stageId", e.stageId());
            n.put("stageAttemptId", e.stageAttempt());
            n.set("task", task(e.task()));
            n.put("status", e.status());
            n.set("metrics", metrics(e.metrics()));
            n.set("failure", failure(e.failure(), 0));
            return n;
        }
        throw new IllegalArgumentException("Unknown scheduler event type " + event.getClass().getName()
                + "; add it to EventJson and to README.md's event log schema");
    }

    /** One object as a line of JSON text (no line break), ASCII only. */
    static String line(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON for " + node.get("event") + ": " + e, e);
        }
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
                return new SchedulerEvent.JobStart(time, n.path("jobId").asInt(), text(n, "description"),
                        text(n, "jobGroup"), List.copyOf(ids));
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
            default:
                return null;
        }
    }

    private static ObjectNode event(String type, long time) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("event", type);
        n.put("time", time);
        return n;
    }

    private static ObjectNode stage(SchedulerEvent.StageInfo s) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("stageId", s.stageId());
        n.put("attemptId", s.attempt());
        n.put("name", s.name());
        n.put("numTasks", s.numTasks());
        n.put("shuffleMap", s.shuffleMap());
        return n;
    }

    private static SchedulerEvent.StageInfo stage(JsonNode n) {
        return new SchedulerEvent.StageInfo(n.path("stageId").asInt(), n.path("attemptId").asInt(), text(n, "name"),
                n.path("numTasks").asInt(), n.path("shuffleMap").asBoolean());
    }

    private static ObjectNode task(SchedulerEvent.TaskInfo t) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("taskId", t.taskId());
        n.put("partitionId", t.partition());
        n.put("attempt", t.attempt());
        n.put("executorThread", t.executorThread());
        return n;
    }

    private static SchedulerEvent.TaskInfo task(JsonNode n) {
        return new SchedulerEvent.TaskInfo(n.path("taskId").asLong(), n.path("partitionId").asInt(),
                n.path("attempt").asInt(), text(n, "executorThread"));
    }

    private static JsonNode metrics(TaskMetrics m) {
        if (m == null) {
            return MAPPER.nullNode();
        }
        ObjectNode n = MAPPER.createObjectNode();
        n.put("recordsRead", m.recordsRead());
        n.put("recordsWritten", m.recordsWritten());
        n.put("shuffleRecordsWritten", m.shuffleRecordsWritten());
        n.put("shuffleBytesWritten", m.shuffleBytesWritten());
        n.put("shuffleRecordsRead", m.shuffleRecordsRead());
        n.put("shuffleBytesRead", m.shuffleBytesRead());
        n.put("runNanos", m.runNanos());
        return n;
    }

    private static TaskMetrics metrics(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        TaskMetrics m = new TaskMetrics();
        m.addRecordsRead(n.path("recordsRead").asLong());
        m.addRecordsWritten(n.path("recordsWritten").asLong());
        m.addShuffleWrite(n.path("shuffleRecordsWritten").asLong(), n.path("shuffleBytesWritten").asLong());
        m.addShuffleRead(n.path("shuffleRecordsRead").asLong(), n.path("shuffleBytesRead").asLong());
        TaskContextAccess.get().setRunNanos(m, n.path("runNanos").asLong());
        return m;
    }

    /** An exception as {className, message, stackTrace: [{class, method, file, line}], cause}. */
    private static JsonNode failure(Throwable t, int depth) {
        if (t == null || depth > MAX_CAUSE_DEPTH) {
            return MAPPER.nullNode();
        }
        ObjectNode n = MAPPER.createObjectNode();
        n.put("className", t instanceof LoggedException l ? l.className() : t.getClass().getName());
        n.put("message", t.getMessage());
        ArrayNode frames = n.putArray("stackTrace");
        for (StackTraceElement e : t.getStackTrace()) {
            ObjectNode f = frames.addObject();
            f.put("class", e.getClassName());
            f.put("method", e.getMethodName());
            f.put("file", e.getFileName());
            f.put("line", e.getLineNumber());
        }
        n.set("cause", t.getCause() == t ? MAPPER.nullNode() : failure(t.getCause(), depth + 1));
        return n;
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
