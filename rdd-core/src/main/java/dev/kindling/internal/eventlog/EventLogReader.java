package dev.kindling.internal.eventlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads an event log written by {@link EventLogWriter} — finished ({@code <appId>}, {@code <appId>.gz}),
 * in progress, or cut short by a crash (the last line incomplete) — back into the application's
 * description and its scheduler events, and says whether the application finished. This is what the
 * history server replays.
 *
 * <p>Rules: the first line must be an {@code ApplicationStart} of a schema version this reader knows;
 * an incomplete last line (no line break, or a gzip stream cut short) ends the replay without error;
 * a line that is not JSON anywhere else is an error naming the file and line; event types this
 * reader does not know (from a newer writer of the same schema version) are skipped.
 */
public final class EventLogReader {

    private EventLogReader() {
    }

    /**
     * What a log holds.
     *
     * @param application   the application-start line
     * @param events        the scheduler events, in log order
     * @param finished      whether the application-end line was read (the application closed its context)
     * @param endTime       the application-end time, or -1 when not finished
     * @param truncated     whether the log ended in the middle of a line (a crash while writing)
     * @param droppedEvents events the writer dropped because its queue was full (0 when not finished)
     */
    public record Replay(ApplicationInfo application, List<SchedulerEvent> events, boolean finished, long endTime,
                         boolean truncated, long droppedEvents) {

        /** Delivers the events, in order, to {@code listener}'s methods. */
        public void replayTo(SchedulerListener listener) {
            for (SchedulerEvent event : events) {
                event.deliverTo(listener);
            }
        }
    }

    /**
     * Reads the log at {@code file} (gzip-compressed or plain, detected from its first bytes).
     *
     * @throws IOException if the file cannot be read, is empty, does not start with an application
     *                     start line, or has a malformed line before its last
     */
    public static Replay read(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            CutShortAware in = new CutShortAware(gzip ? new GZIPInputStream(raw, 64 * 1024) : raw);
            return read(file, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 64 * 1024), in);
        }
    }

    private static Replay read(Path file, Reader in, CutShortAware source) throws IOException {
        ApplicationInfo app = null;
        List<SchedulerEvent> events = new ArrayList<>();
        boolean finished = false;
        long endTime = -1;
        long dropped = 0;
        boolean truncated = false;
        StringBuilder line = new StringBuilder();
        int lineNumber = 0;
        while (true) {
            if (!readLine(in, line)) {
                truncated = line.length() > 0 || source.cutShort;
                break;
            }
            lineNumber++;
            JsonNode node;
            try {
                node = EventJson.parse(line.toString());
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new IOException("Event log " + file + ", line " + lineNumber + " is not a JSON object ("
                        + e.getMessage() + "); the log is damaged. Line: " + EventJson.abbreviate(line.toString()), e);
            }
            line.setLength(0);
            String type = node.path("event").asText();
            if (app == null) {
                app = start(file, node, type);
            } else if (type.equals("ApplicationEnd")) {
                finished = true;
                endTime = node.path("time").asLong();
                dropped = node.path("droppedEvents").asLong();
            } else {
                SchedulerEvent event = EventJson.fromJson(node);
                if (event != null) {
                    events.add(event);
                }
            }
        }
        if (app == null) {
            throw new IOException("Event log " + file + " has no complete first line (an application that "
                    + "crashed at once, or not an event log); nothing to replay");
        }
        return new Replay(app, List.copyOf(events), finished, endTime, truncated, dropped);
    }

    private static ApplicationInfo start(Path file, JsonNode node, String type) throws IOException {
        if (!type.equals("ApplicationStart")) {
            throw new IOException("Event log " + file + " starts with a " + type + " line instead of "
                    + "ApplicationStart; it is not a Kindling event log or lost its beginning");
        }
        ApplicationInfo app = EventJson.applicationInfo(node);
        if (app.schemaVersion() < 1 || app.schemaVersion() > EventJson.SCHEMA_VERSION) {
            throw new IOException("Event log " + file + " has schemaVersion " + app.schemaVersion()
                    + ", which this Kindling cannot read (it reads 1 to " + EventJson.SCHEMA_VERSION
                    + "); read it with the Kindling version that wrote it (" + app.kindlingVersion() + ") or newer");
        }
        return app;
    }

    /**
     * Ends the stream quietly where a gzip stream was cut short (a crash while compressing, a partial
     * copy), instead of the {@link EOFException} that would discard the characters the readers above
     * have decoded but not yet handed out; records that it happened.
     */
    private static final class CutShortAware extends java.io.FilterInputStream {
        boolean cutShort;

        CutShortAware(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return cutShort ? -1 : super.read();
            } catch (EOFException e) {
                cutShort = true;
                return -1;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return cutShort ? -1 : super.read(b, off, len);
            } catch (EOFException e) {
                cutShort = true;
                return -1;
            }
        }
    }

    /** Appends the next line's characters to {@code line}; true if it ended with a line break. */
    private static boolean readLine(Reader in, StringBuilder line) throws IOException {
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                return true;
            }
            line.append((char) c);
        }
        return false;
    }
}
