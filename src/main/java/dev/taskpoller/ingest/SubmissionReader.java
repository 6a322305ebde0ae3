package dev.taskpoller.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.taskpoller.engine.Rejection;
import dev.taskpoller.engine.Submission;
import dev.taskpoller.provider.Json;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import dev.taskpoller.engine.InFlightTasks;
import dev.taskpoller.engine.TaskRequest;
import dev.taskpoller.engine.TrackedTask;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads submissions from a Kafka message or an inbox file. A bad line becomes a rejection and the rest of the file
 * is still read; only a file that cannot be read at all throws {@link UnreadableInboxFileException}.
 *
 * <ul>
 *   <li>{@code *.jsonl}: one JSON object a line, {@code {"provider", "taskId", "correlationId"?, "metadata"?}}</li>
 *   <li>{@code *.csv}: a header naming {@code provider} and {@code taskId} (and optionally {@code correlationId}),
 *       then one task a line; quoted fields may not span lines</li>
 *   <li>{@code *.txt} inside {@code inbox/<provider>/}: one task id a line; blank lines and {@code #} comments skipped</li>
 * </ul>
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

    /** Every submission of a file picked up from the inbox. */
    public List<Submission> fromInboxFile(@Body File file, @Header(Exchange.FILE_NAME) String relativePath) {
        return fromFile(file.toPath(), relativePath.replace(File.separatorChar, '/'));
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

    /** Every submission of an inbox file, {@code relativePath} being its path below the inbox. */
    public List<Submission> fromFile(Path file, String relativePath) {
        String text = readUtf8(file, relativePath);
        // a byte-order mark, as some spreadsheet tools write, is no part of the first line
        List<String> lines = Arrays.asList((text.startsWith("\uFEFF") ? text.substring(1) : text).split("\r?\n", -1));
        String name = relativePath.toLowerCase(Locale.ROOT);
        if (name.endsWith(".jsonl")) {
            return readLines(lines, relativePath, 1, (line, origin) -> fromJson(line, origin));
        }
        if (name.endsWith(".csv")) {
            return fromCsv(lines, relativePath);
        }
        if (name.endsWith(".txt")) {
            Path parent = Path.of(relativePath).getParent();
            if (parent == null || parent.getNameCount() != 1) {
                throw new UnreadableInboxFileException("a .txt file of task ids must be inside inbox/<provider>/, not at "
                        + relativePath);
            }
            String provider = parent.getFileName().toString();
            return readLines(lines, relativePath, 1, (line, origin) -> line.trim().startsWith("#") ? null
                    : validator.validate(provider, line.trim(), null, null, line, origin));
        }
        throw new UnreadableInboxFileException("unsupported file type: " + relativePath + " (use .jsonl, .csv or .txt)");
    }

    private Submission fromJson(String text, String origin) {
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

    private List<Submission> fromCsv(List<String> lines, String relativePath) {
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            throw new UnreadableInboxFileException("CSV file " + relativePath + " has no header line (provider,taskId[,correlationId])");
        }
        List<String> columns = Arrays.stream(lines.get(0).split(",")).map(String::trim).toList();
        if (!columns.contains("provider") || !columns.contains("taskId")) {
            throw new UnreadableInboxFileException("CSV file " + relativePath + " header must name provider and taskId, found: " + lines.get(0));
        }
        CsvSchema.Builder schema = CsvSchema.builder();
        columns.forEach(schema::addColumn);
        CsvSchema rowSchema = schema.build().withoutHeader();
        return readLines(lines, relativePath, 2, (line, origin) -> {
            try (MappingIterator<java.util.Map<String, String>> rows = CSV.readerForMapOf(String.class).with(rowSchema).readValues(line)) {
                java.util.Map<String, String> row = rows.next();
                return validator.validate(row.get("provider"), row.get("taskId"), row.get("correlationId"), null, line, origin);
            } catch (IOException | RuntimeException malformed) {
                return Rejection.of(Rejection.MALFORMED_INPUT, "malformed CSV line: " + malformed.getMessage(), line, origin, null);
            }
        });
    }

    private interface LineReader {
        Submission read(String line, String origin);
    }

    private static List<Submission> readLines(List<String> lines, String relativePath, int firstLine, LineReader reader) {
        List<Submission> submissions = new ArrayList<>();
        for (int number = firstLine; number <= lines.size(); number++) {
            String line = lines.get(number - 1);
            if (line.isBlank()) {
                continue;
            }
            Submission submission = reader.read(line, "file:" + relativePath + ":" + number);
            if (submission != null) {
                submissions.add(submission);
            }
        }
        return submissions;
    }

    private static String readUtf8(Path file, String relativePath) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new UnreadableInboxFileException(relativePath + " is not UTF-8 text", e);
        } catch (IOException e) {
            throw new UnreadableInboxFileException("cannot read " + relativePath + ": " + e.getMessage(), e);
        }
    }
}
