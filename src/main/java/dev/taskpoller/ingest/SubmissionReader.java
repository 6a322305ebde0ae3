package dev.taskpoller.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.taskpoller.engine.InFlightTasks;
import dev.taskpoller.engine.Rejection;
import dev.taskpoller.engine.Submission;
import dev.taskpoller.engine.TaskRequest;
import dev.taskpoller.engine.TrackedTask;
import dev.taskpoller.provider.Json;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Body;
import org.apache.camel.Header;

/**
 * Reads one request (a Kafka message, or a line of an inbox file) into a submission: a task to accept, or a
 * rejection with its reason. Requests are JSON objects {@code {"provider", "taskId", "correlationId"?, "metadata"?}};
 * CSV lines and {@code .txt} id lines carry the same fields (see {@link InboxFileReader}).
 */
public class SubmissionReader {

    private static final CsvMapper CSV = new CsvMapper();
    private final SubmissionValidator validator;
    private final InFlightTasks tasks;

    public SubmissionReader(SubmissionValidator validator, InFlightTasks tasks) {
        this.validator = validator;
        this.tasks = tasks;
    }

    /** A request message from the requests topic. */
    public Submission fromKafkaMessage(@Body String body, @Header("kafka.TOPIC") String topic,
                                       @Header("kafka.PARTITION") Integer partition, @Header("kafka.OFFSET") Long offset) {
        return fromJson(body, "kafka:" + topic + "/" + partition + "/" + offset);
    }

    /**
     * The rejection of a task that is already in flight, or null when this is the very input that put it in flight,
     * read again (a Kafka record redelivered, an inbox file read again after a failure): that is no new submission.
     */
    public Rejection duplicateOf(@Body TaskRequest request) {
        TrackedTask inFlight = tasks.get(request.key());
        if (inFlight != null && request.origin().equals(inFlight.request().origin())) {
            return null;
        }
        return Rejection.of(Rejection.DUPLICATE, "task " + request.key() + " is already in flight; it is polled once",
                Json.write(request), request.origin(), request.provider());
    }

    /** One JSON request: a Kafka message or a line of a {@code .jsonl} file. */
    public Submission fromJson(String text, String origin) {
        Optional<JsonNode> parsed = Json.parse(text);
        if (parsed.isEmpty() || !parsed.get().isObject()) {
            return Rejection.of(Rejection.MALFORMED_INPUT, "not a JSON object", text, origin, null);
        }
        JsonNode json = parsed.get();
        JsonNode metadata = json.get("metadata");
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            return Rejection.of(Rejection.MALFORMED_INPUT, "metadata must be a JSON object", text, origin, Json.text(json, "provider"));
        }
        return validator.validate(Json.text(json, "provider"), Json.text(json, "taskId"), Json.text(json, "correlationId"),
                metadata == null || metadata.isNull() ? null : metadata, text, origin);
    }

    /** A line of a {@code .txt} file of task ids in the provider's folder; null for a comment. */
    public Submission fromIdLine(String provider, String line, String origin) {
        return line.trim().startsWith("#") ? null : validator.validate(provider, line.trim(), null, null, line, origin);
    }

    /** A data line of a CSV file whose header named these columns. */
    public Submission fromCsvLine(List<String> columns, String line, String origin) {
        CsvSchema.Builder schema = CsvSchema.builder();
        columns.forEach(schema::addColumn);
        try (MappingIterator<Map<String, String>> rows = CSV.readerForMapOf(String.class).with(schema.build().withoutHeader()).readValues(line)) {
            Map<String, String> row = rows.next();
            return validator.validate(row.get("provider"), row.get("taskId"), row.get("correlationId"), null, line, origin);
        } catch (IOException | RuntimeException malformed) {
            return Rejection.of(Rejection.MALFORMED_INPUT, "malformed CSV line: " + malformed.getMessage(), line, origin, null);
        }
    }
}
