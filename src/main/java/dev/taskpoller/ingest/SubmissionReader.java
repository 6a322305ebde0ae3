package dev.taskpoller.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.taskpoller.engine.InFlightTasks;
import dev.taskpoller.engine.Rejection;
import dev.taskpoller.engine.Submission;
import dev.taskpoller.engine.TaskRequest;
import dev.taskpoller.provider.Json;
import dev.taskpoller.text.Excerpt;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads one request (a Kafka message, or a line of an inbox file) into a submission: a task to accept, or a
 * rejection with its reason. Requests are JSON objects {@code {"provider", "taskId", "correlationId"?, "metadata"?,
 * "deadline"?, "pollInterval"?}};
 * CSV lines and {@code .txt} id lines carry the same fields (see {@link InboxFileReader}).
 */
public class SubmissionReader {

    private static final CsvMapper CSV = new CsvMapper();
    private static final List<String> FIELDS = List.of("provider", "taskId", "correlationId", "metadata", "deadline",
            "pollInterval");
    /** Exactly one JSON value, no trailing content, no field given twice. */
    private static final ObjectReader STRICT_JSON = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    private final SubmissionValidator validator;
    private final InFlightTasks tasks;

    public SubmissionReader(SubmissionValidator validator, InFlightTasks tasks) {
        this.validator = validator;
        this.tasks = tasks;
    }

    /** One record of a poll of the requests topic, as camel-kafka hands a batch: an exchange per record. */
    public Submission fromKafkaRecord(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        Message message = body instanceof Exchange record ? record.getMessage() : exchange.getMessage();
        return fromJson(message.getBody(String.class), "kafka:" + message.getHeader(KafkaConstants.TOPIC) + "/"
                + message.getHeader(KafkaConstants.PARTITION) + "/" + message.getHeader(KafkaConstants.OFFSET));
    }

    /**
     * A request a host's own route sends to {@code direct:taskpoller-submit}: the JSON object as text or bytes, or a
     * {@code Map} (or Jackson tree) of its fields. Its origin is the host's route and exchange, so a redelivery of the
     * same exchange is the same input again, and the same task from another exchange a duplicate.
     */
    public Submission fromRoute(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        String text = body instanceof Map<?, ?> || body instanceof JsonNode
                ? Json.write(body) : exchange.getMessage().getBody(String.class);
        // the submit route works on a copy of the host's exchange (enrich): the host's exchange id is its correlation id
        String hostExchange = exchange.getProperty(ExchangePropertyKey.CORRELATION_ID, exchange.getExchangeId(), String.class);
        return fromJson(text, "route:" + exchange.getFromRouteId() + "/" + hostExchange);
    }

    /** The rejection of a task already in flight from another input ({@link InFlightTasks#claim}). */
    public Rejection duplicate(@Body TaskRequest request) {
        return Rejection.of(Rejection.DUPLICATE, "task " + request.key() + " is already in flight; it is polled once",
                Json.write(request), request.origin(), request.provider());
    }

    /** One JSON request: a Kafka message or a line of a {@code .jsonl} file. */
    public Submission fromJson(String text, String origin) {
        if (text == null || text.isBlank()) {
            return Rejection.of(Rejection.MALFORMED_INPUT, "empty request: a request is one JSON object", text, origin, null);
        }
        int bytes = Utils.utf8Length(text);
        if (bytes > validator.limits().maxRequestBytes()) {
            return Rejection.of(Rejection.TOO_LARGE, "the request has " + bytes + " bytes, at most "
                    + validator.limits().maxRequestBytes() + " are accepted", text, origin, null);
        }
        JsonNode json;
        try {
            json = STRICT_JSON.readTree(text);
        } catch (JsonProcessingException notJson) {
            return Rejection.of(Rejection.MALFORMED_INPUT, "not one JSON object: " + Excerpt.forLog(notJson.getOriginalMessage()),
                    text, origin, null);
        }
        if (!json.isObject()) {
            return Rejection.of(Rejection.MALFORMED_INPUT, "a request is one JSON object, not " + kind(json), text, origin, null);
        }
        if (!Json.isWellFormed(json)) {
            return Rejection.of(Rejection.MALFORMED_INPUT, "holds text that is not valid Unicode (an unpaired surrogate"
                    + " such as \\ud800), which no UTF-8 output can carry", text, origin, null);
        }
        List<String> unknown = new ArrayList<>();
        json.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                unknown.add(Excerpt.of(name, 40));
            }
        });
        if (!unknown.isEmpty()) {
            return Rejection.of(Rejection.MALFORMED_INPUT, "unknown field(s) " + unknown + "; a request has " + FIELDS,
                    text, origin, null);
        }
        for (String field : List.of("provider", "correlationId")) {
            if (!isTextOrNull(json.get(field))) {
                return Rejection.of(Rejection.MALFORMED_INPUT, field + " must be a string, not " + kind(json.get(field)),
                        text, origin, null);
            }
        }
        JsonNode taskId = json.get("taskId");
        if (!isTextOrNull(taskId)) {
            return Rejection.of(Rejection.INVALID_TASK_ID, "taskId must be a string, not " + kind(taskId), text, origin, null);
        }
        JsonNode metadata = json.get("metadata");
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            return Rejection.of(Rejection.MALFORMED_INPUT, "metadata must be a JSON object, not " + kind(metadata), text, origin, null);
        }
        for (String option : List.of("deadline", "pollInterval")) {
            if (!isTextOrNull(json.get(option))) {
                return Rejection.of(Rejection.INVALID_OPTION, option + " must be a string (ISO-8601), not "
                        + kind(json.get(option)), text, origin, null);
            }
        }
        return validator.validate(textOf(json.get("provider")), textOf(taskId), textOf(json.get("correlationId")),
                metadata == null || metadata.isNull() ? null : metadata, textOf(json.get("deadline")),
                textOf(json.get("pollInterval")), text, origin);
    }

    /**
     * The rejection of a task whose in-flight record Kafka would never take (over taskpoller's record limit or the
     * broker's). Its duplicate-check reservation is released, so the task can be sent again with less in it.
     */
    public Rejection tooLargeForKafka(@Body TaskRequest request, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception cause) {
        tasks.unclaim(request);
        return Rejection.cannotBeRecorded(request, cause);
    }

    /** A line of a {@code .txt} file of task ids in the provider's folder; null for a comment. */
    public Submission fromIdLine(String provider, String line, String origin) {
        return line.stripLeading().startsWith("#") ? null : validator.validate(provider, line, null, null, line, origin);
    }

    private static boolean isTextOrNull(JsonNode value) {
        return value == null || value.isNull() || value.isTextual();
    }

    private static String textOf(JsonNode value) {
        return value == null || value.isNull() ? null : value.textValue();
    }

    private static String kind(JsonNode value) {
        return switch (value.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case STRING -> "a string";
            default -> value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** An optional column's cell: empty (or no such column) is no value. */
    private static String presentCell(String cell) {
        return cell == null || cell.isEmpty() ? null : cell;
    }

        /** A data line of a CSV file whose header named these columns. */
    public Submission fromCsvLine(List<String> columns, String line, String origin) {
        CsvSchema.Builder schema = CsvSchema.builder();
        columns.forEach(schema::addColumn);
        try (MappingIterator<Map<String, String>> rows = CSV.readerForMapOf(String.class).with(schema.build().withoutHeader()).readValues(line)) {
            Map<String, String> row = rows.next();
            return validator.validate(row.get("provider"), row.get("taskId"), row.get("correlationId"), null,
                    presentCell(row.get("deadline")), presentCell(row.get("pollInterval")), line, origin);
        } catch (IOException | RuntimeException malformed) {
            return Rejection.of(Rejection.MALFORMED_INPUT, "malformed CSV line: " + malformed.getMessage(), line, origin, null);
        }
    }
}
