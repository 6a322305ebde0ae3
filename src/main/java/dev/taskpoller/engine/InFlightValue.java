package dev.taskpoller.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.provider.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The value of a task's record in the in-flight topic: the accepted request and, once the task's terminal event is
 * published, that event exactly as it was published (committed with it, EventTransactions), until the outbox has it
 * too and the tombstone follows. A restart that finds such a record writes the event to the outbox again instead of
 * polling the provider again, whose answer may have changed by then (a fresh link, a 404 after its retention). A
 * record of an older version may hold an event decided but not yet published: that one is published as it is.
 *
 * <p>Once the outbox has the event, the record becomes the task's <em>ended</em> record (its request and when it
 * ended, {@link FinishedTasks}): input read again after that is passed over, not polled again; its tombstone follows
 * after {@code taskpoller.ingest.finished-ttl}.
 *
 * <p>A decided value leaves out the request's metadata: the event carries it (or says it left it out to fit), and
 * the task is never polled again.
 */
public record InFlightValue(TaskRequest request, Decided decided, Instant ended) {

    private static final String DECIDED = "decided";
    private static final String ENDED = "ended";
    private static final String EVENT = "event";
    private static final String OUTCOME = "outcome";
    private static final String PUBLISHED_FIELD = "published";
    /** The header of a record written by {@link #publishedRecord}: a follower reading it live need not parse it. */
    public static final String PUBLISHED_HEADER = "taskpoller-published";
    /** That header as it is sent (counted in the record's size, so an event is trimmed to fit with it). */
    public static final Header PUBLISHED = new RecordHeader(PUBLISHED_HEADER, "true".getBytes(StandardCharsets.UTF_8));
    /**
     * The header of a record written by {@link #endedRecord} in a publishing transaction: the instance that commits it
     * remembers the end itself, so its follower reading it live need not parse it.
     */
    public static final String ENDED_HEADER = "taskpoller-ended";
    /** That header as it is sent. */
    public static final Header ENDED_MARK = new RecordHeader(ENDED_HEADER, "true".getBytes(StandardCharsets.UTF_8));

    /**
     * A terminal event as decided: its outcome, its JSON text byte for byte as it is published, and whether it is in
     * its topic already (false only in the records of older versions, which wrote it before publishing it).
     */
    public record Decided(String outcome, String event, boolean published) {
    }

    /** A request's value, not ended and with no event decided. */
    public InFlightValue(TaskRequest request, Decided decided) {
        this(request, decided, null);
    }

    /** The record of a task that ended at {@code at}: its event is published and in the outbox. */
    public static String endedRecord(TaskRequest request, Instant at) {
        return Json.write(new Stored(withoutMetadata(request), null, at));
    }

    /** The record of a task whose event is decided, not yet published (as older versions wrote it). */
    public static String decidedRecord(TaskRequest request, String outcome, String eventJson) {
        return record(request, new Decided(outcome, eventJson, false));
    }

    /**
     * The record of a task whose event is published in the same transaction, its outbox line still to come. The event
     * is held as JSON, not as a string: escaping it cost a tenth of the publishing thread, and its text is read back
     * byte for byte from where it lies in the record ({@link #read}).
     */
    public static String publishedRecord(TaskRequest request, String outcome, String eventJson) {
        return Json.write(new Stored(withoutMetadata(request), new Embedded(outcome, eventJson, true), null));
    }

    private static String record(TaskRequest request, Decided decided) {
        return Json.write(new Stored(withoutMetadata(request), decided, null));
    }

    /** A decided event written with its JSON in place (always well-formed: EventFactory wrote it). */
    private record Embedded(String outcome, @JsonRawValue String event, boolean published) {
    }

    private static TaskRequest withoutMetadata(TaskRequest request) {
        return new TaskRequest(request.provider(), request.taskId(), request.correlationId(), null,
                request.acceptedAt(), request.origin());
    }

    /**
     * A decided or ended value as written: the request's fields, then its event or when it ended (written directly,
     * not built as a tree).
     */
    private record Stored(@JsonUnwrapped TaskRequest request, @JsonInclude(JsonInclude.Include.NON_NULL) Object decided,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Instant ended) {
    }

    /** Reads a value; throws when it is not one (the caller logs and skips it). */
    public static InFlightValue read(String value) throws Exception {
        JsonNode tree = Json.MAPPER.readTree(value);
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        TaskRequest request = Json.MAPPER.treeToValue(tree, TaskRequest.class);
        JsonNode ended = tree.get(ENDED);
        if (ended != null && !ended.isNull()) {
            return new InFlightValue(request, null, Json.MAPPER.treeToValue(ended, Instant.class));
        }
        JsonNode decided = tree.get(DECIDED);
        if (decided == null || decided.isNull()) {
            return new InFlightValue(request, null);
        }
        JsonNode event = decided.get(EVENT);
        String outcome = decided.path(OUTCOME).asText(null);
        if (outcome == null || event == null || !(event.isTextual() || event.isObject())) {
            throw new IllegalArgumentException("a decided event without its outcome or its JSON");
        }
        String json = event.isTextual() ? event.asText() : embeddedEvent(value);
        return new InFlightValue(request, new Decided(outcome, json, decided.path(PUBLISHED_FIELD).asBoolean(false)));
    }

    /** The text of {@code decided.event} where a published record holds it as JSON, exactly as it was written. */
    private static String embeddedEvent(String value) throws IOException {
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(value)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean isDecided = DECIDED.equals(parser.currentName());
                parser.nextToken();
                if (!isDecided) {
                    parser.skipChildren();
                    continue;
                }
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    boolean isEvent = EVENT.equals(parser.currentName());
                    parser.nextToken();
                    long start = parser.currentTokenLocation().getCharOffset();
                    parser.skipChildren();
                    if (isEvent) {
                        return value.substring((int) start, (int) parser.currentLocation().getCharOffset());
                    }
                }
            }
        }
        throw new IllegalArgumentException("no decided event in the record");
    }
}
