package dev.taskpoller.ingest;

import dev.taskpoller.engine.Submission;
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
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

/**
 * Reads the submissions of a file picked up from the inbox, one per line, through {@link SubmissionReader}. A bad
 * line becomes a rejection and the rest of the file is still read; only a file that cannot be read at all throws
 * {@link UnreadableInboxFileException}.
 *
 * <ul>
 *   <li>{@code *.jsonl}: one JSON request a line</li>
 *   <li>{@code *.csv}: a header naming {@code provider} and {@code taskId} (and optionally {@code correlationId}),
 *       then one task a line; quoted fields may not span lines</li>
 *   <li>{@code *.txt} inside {@code inbox/<provider>/}: one task id a line; blank lines and {@code #} comments skipped</li>
 * </ul>
 */
public class InboxFileReader {

    private final SubmissionReader reader;

    public InboxFileReader(SubmissionReader reader) {
        this.reader = reader;
    }

    /** Every submission of a file picked up from the inbox. */
    public List<Submission> fromInboxFile(@Body File file, @Header(Exchange.FILE_NAME) String relativePath) {
        return fromFile(file.toPath(), relativePath.replace(File.separatorChar, '/'));
    }

    /** Every submission of an inbox file, {@code relativePath} being its path below the inbox. */
    public List<Submission> fromFile(Path file, String relativePath) {
        String text = readUtf8(file, relativePath);
        // a byte-order mark, as some spreadsheet tools write, is no part of the first line
        List<String> lines = Arrays.asList((text.startsWith("\uFEFF") ? text.substring(1) : text).split("\r?\n", -1));
        String name = relativePath.toLowerCase(Locale.ROOT);
        if (name.endsWith(".jsonl")) {
            return readLines(lines, relativePath, 1, reader::fromJson);
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
            return readLines(lines, relativePath, 1, (line, origin) -> reader.fromIdLine(provider, line, origin));
        }
        throw new UnreadableInboxFileException("unsupported file type: " + relativePath + " (use .jsonl, .csv or .txt)");
    }

    private List<Submission> fromCsv(List<String> lines, String relativePath) {
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            throw new UnreadableInboxFileException("CSV file " + relativePath + " has no header line (provider,taskId[,correlationId])");
        }
        List<String> columns = Arrays.stream(lines.get(0).split(",")).map(String::trim).toList();
        if (!columns.contains("provider") || !columns.contains("taskId")) {
            throw new UnreadableInboxFileException("CSV file " + relativePath + " header must name provider and taskId, found: " + lines.get(0));
        }
        return readLines(lines, relativePath, 2, (line, origin) -> reader.fromCsvLine(columns, line, origin));
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
