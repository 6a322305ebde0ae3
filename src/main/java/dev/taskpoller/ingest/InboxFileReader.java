package dev.taskpoller.ingest;

import dev.taskpoller.engine.Rejection;
import dev.taskpoller.engine.Submission;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * Reads the submissions of a file picked up from the inbox, one per line, through {@link SubmissionReader}, as a
 * stream: memory stays bounded whatever the size of the file or of a line. A bad line (too large, not UTF-8, not a
 * valid request) becomes a rejection and the rest of the file is still read; only a file that cannot be read at all
 * throws {@link UnreadableInboxFileException}. Lines are marked done as they are processed, so a file read again
 * after a failure goes on from the first line not done.
 *
 * <ul>
 *   <li>{@code *.jsonl}: one JSON request a line</li>
 *   <li>{@code *.csv}: a header naming {@code provider} and {@code taskId} (and optionally {@code correlationId}, {@code deadline}, {@code pollInterval}),
 *       then one task a line; quoted fields may not span lines</li>
 *   <li>{@code *.txt} inside {@code inbox/<provider>/}: one task id a line; blank lines and {@code #} comments skipped</li>
 * </ul>
 */
public class InboxFileReader {

    /** Enough bytes for the longest {@link Rejection#MAX_INPUT} characters of UTF-8. */
    private static final int EXCERPT_BYTES = 4 * Rejection.MAX_INPUT;

    private final SubmissionReader reader;
    private final Path inbox;
    private final int maxLineBytes;
    private final long settleMillis;
    private final int sliceSize;
    private final InboxProgress progress;

    /**
     * @param inbox        the inbox folder, below which {@code .done/} and {@code .error/} are
     * @param maxLineBytes the longest line read as a request ({@code taskpoller.input.max-request-bytes})
     * @param settleMillis how long a file must be unchanged to be complete ({@code taskpoller.inbox.settle-ms}): the
     *                     read lock waits for it before the file is read, and the reader again at its end
     * @param sliceSize    lines handed out together ({@code taskpoller.ingest.batch-size}): their in-flight writes are
     *                     awaited together, and then they are done
     */
    public InboxFileReader(SubmissionReader reader, Path inbox, int maxLineBytes, long settleMillis, int sliceSize) {
        this.reader = reader;
        this.sliceSize = sliceSize;
        this.progress = new InboxProgress(inbox.resolve(".progress"));
        this.inbox = inbox;
        this.maxLineBytes = maxLineBytes;
        this.settleMillis = settleMillis;
    }

    /**
     * This file's arrival: the one it had already when it is being read again after a failure, else a new one. Its
     * id is made of the file's identity in the file system (the inode, where there is one) and its modification
     * time when first seen: the same file read again (after a failure, or left in the inbox by a crash) keeps its id,
     * while a file dropped again under the same name (a new file moved in, or the old one written anew) gets another.
     * A content hash was not taken: the same content dropped twice is two submissions, and hashing means reading a
     * file that may still grow twice.
     */
    public InboxArrival arrival(@Body File file, @Header(Exchange.FILE_NAME) String name) {
        Path path = file.toPath();
        String relativePath = name.replace(File.separatorChar, '/');
        BasicFileAttributes attributes = attributes(path, relativePath);
        Object fileKey = attributes.fileKey();
        // without a file key (some file systems) the modification time has to tell files of the same name apart
        String identity = relativePath + "|" + (fileKey != null ? fileKey : attributes.lastModifiedTime());
        return progress.arrival(identity, () -> {
            String id = shortHash(identity + "|" + attributes.lastModifiedTime().toInstant());
            String movedName = uniqueMovedName(relativePath, id);
            return new InboxArrival(path, relativePath, identity, id, ".done/" + movedName, ".error/" + movedName);
        });
    }

    /**
     * The lines of the file not done yet, in slices of {@code sliceSize}, read as they are consumed; the file is
     * closed when the exchange ends.
     */
    public Iterator<List<InboxLine>> slices(@ExchangeProperty("taskpollerInboxArrival") InboxArrival arrival, Exchange exchange) {
        String name = arrival.relativePath().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".jsonl") && !name.endsWith(".csv") && !name.endsWith(".txt")) {
            throw new UnreadableInboxFileException("unsupported file type: " + arrival.relativePath() + " (use .jsonl, .csv or .txt)");
        }
        LineParser idLines = name.endsWith(".txt") ? idLineParser(arrival) : null;
        BoundedLineReader lines = open(arrival);
        try {
            LineParser parser = name.endsWith(".jsonl") ? reader::fromJson
                    : name.endsWith(".csv") ? csvParser(lines, arrival) : idLines;
            Lines unread = new Lines(lines, arrival, parser, progress.linesDone(arrival));
            // a split that fails half-way leaves the iterator open; the file is read anew at the next scan
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    closeQuietly(unread);
                }
            });
            return new Slices(unread, sliceSize);
        } catch (RuntimeException | IOException e) {
            closeQuietly(lines);
            throw e instanceof UnreadableInboxFileException unreadable ? unreadable
                    : new UnreadableInboxFileException("cannot read " + arrival.relativePath() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The lines of the slice were processed (accepted, and their writes acknowledged, or rejected): a re-read after
     * a failure does not process them again.
     */
    public void done(@ExchangeProperty("taskpollerInboxSlice") List<InboxLine> slice) {
        if (slice.isEmpty()) {
            return;
        }
        InboxLine last = slice.get(slice.size() - 1);
        progress.done(last.arrival(), last.number());
    }

    /**
     * The lines in slices. The split asks for the next slice before it processes the current one, so at the end of
     * the file one more slice is promised: taken only after the last one is processed, it holds the lines appended
     * meanwhile (and the end is promised again after them), or none, and then the file has ended for good and is
     * closed before it moves.
     */
    private static final class Slices implements Iterator<List<InboxLine>> {

        private final Lines lines;
        private final int size;
        private boolean lastLookTaken;
        private boolean ended;

        Slices(Lines lines, int size) {
            this.lines = lines;
            this.size = size;
        }

        @Override
        public boolean hasNext() {
            // the split may ask again after the end (as it does when its last slice completed asynchronously): the
            // file is closed by then, and the answer stays no
            if (ended) {
                return false;
            }
            if (lines.hasNext() || !lastLookTaken) {
                return true;
            }
            ended = true;
            closeQuietly(lines);
            return false;
        }

        @Override
        public List<InboxLine> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            List<InboxLine> slice = new ArrayList<>(Math.min(size, 1024));
            while (slice.size() < size && lines.hasNext()) {
                slice.add(lines.next());
            }
            lastLookTaken = slice.isEmpty();
            return slice;
        }
    }

    /** The file leaves the inbox (to {@code .done/} or {@code .error/}). */
    public void finished(@ExchangeProperty("taskpollerInboxArrival") InboxArrival arrival) {
        progress.forget(arrival);
    }

    /** Task ids of the provider whose folder the file is in. */
    private LineParser idLineParser(InboxArrival arrival) {
        Path parent = Path.of(arrival.relativePath()).getParent();
        if (parent == null || parent.getNameCount() != 1) {
            throw new UnreadableInboxFileException("a .txt file of task ids must be inside inbox/<provider>/, not at "
                    + arrival.relativePath());
        }
        String provider = parent.getFileName().toString();
        return (line, origin) -> reader.fromIdLine(provider, line, origin);
    }

    /** Reads the header of a CSV file; an empty file has none, and no lines either. */
    private LineParser csvParser(BoundedLineReader lines, InboxArrival arrival) throws IOException {
        BoundedLineReader.RawLine header = lines.next();
        if (header == null) {
            return (line, origin) -> null;
        }
        String text = header.size() > maxLineBytes ? null : decode(header.kept());
        if (text == null || text.isBlank()) {
            throw new UnreadableInboxFileException("CSV file " + arrival.relativePath()
                    + " has no readable header line (provider,taskId[,correlationId])");
        }
        List<String> columns = Arrays.stream(text.split(",")).map(String::trim).toList();
        if (!columns.contains("provider") || !columns.contains("taskId")) {
            throw new UnreadableInboxFileException("CSV file " + arrival.relativePath()
                    + " header must name provider and taskId, found: " + text);
        }
        return (line, origin) -> reader.fromCsvLine(columns, line, origin);
    }

    private interface LineParser {
        /** The submission of a line, or null when the line holds none (a comment). */
        Submission read(String line, String origin);
    }

    /**
     * The submissions of a file's lines, one line read at a time. At the end of the file it answers no next line,
     * but asked again later it reads on if the file has grown meanwhile.
     */
    public final class Lines implements Iterator<InboxLine>, Closeable {

        private final BoundedLineReader lines;
        private final InboxArrival arrival;
        private final LineParser parser;
        private final int linesDone;
        private InboxLine next;

        private Lines(BoundedLineReader lines, InboxArrival arrival, LineParser parser, int linesDone) {
            this.lines = lines;
            this.arrival = arrival;
            this.parser = parser;
            this.linesDone = linesDone;
        }

        @Override
        public boolean hasNext() {
            while (next == null) {
                BoundedLineReader.RawLine line = read();
                if (line == null) {
                    return false;
                }
                if (line.number() > linesDone) {
                    Submission submission = submission(line, arrival.origin(line.number()));
                    if (submission != null) {
                        next = new InboxLine(arrival, line.number(), submission);
                    }
                }
            }
            return next != null;
        }

        @Override
        public InboxLine next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            InboxLine line = next;
            next = null;
            return line;
        }

        private BoundedLineReader.RawLine read() {
            try {
                return lines.next();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read on in " + arrival.relativePath(), e);
            }
        }

        private Submission submission(BoundedLineReader.RawLine line, String origin) {
            if (line.size() > maxLineBytes) {
                return Rejection.of(Rejection.TOO_LARGE, "line has " + line.size() + " bytes, at most " + maxLineBytes
                        + " are accepted (taskpoller.input.max-request-bytes)", excerpt(line.kept()), origin, null);
            }
            String text = decode(line.kept());
            if (text == null) {
                return Rejection.of(Rejection.MALFORMED_INPUT, "line is not valid UTF-8", excerpt(line.kept()), origin, null);
            }
            return text.isBlank() ? null : parser.read(text, origin);
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }

    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The start of a line as text, whatever its bytes (invalid ones, or a character cut at the end, replaced). */
    private static String excerpt(byte[] bytes) {
        return new String(bytes, 0, Math.min(bytes.length, EXCERPT_BYTES), StandardCharsets.UTF_8);
    }

    private BoundedLineReader open(InboxArrival arrival) {
        try {
            return new BoundedLineReader(Files.newInputStream(arrival.file()), new SettlingFile(arrival.file(), settleMillis), maxLineBytes);
        } catch (IOException e) {
            throw new UnreadableInboxFileException("cannot read " + arrival.relativePath() + ": " + e.getMessage(), e);
        }
    }

    private static BasicFileAttributes attributes(Path file, String relativePath) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException(relativePath + " is gone from the inbox", e);
        } catch (IOException e) {
            throw new UnreadableInboxFileException("cannot read " + relativePath + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code <dir>/<name>@<id>.<ext>}, with a counter added in the unlikely case that such a file is in .done/ or
     * .error/ already (the very same file moved back into the inbox): a moved file never replaces another.
     */
    private String uniqueMovedName(String relativePath, String id) {
        int dot = relativePath.lastIndexOf('.');
        if (dot <= relativePath.lastIndexOf('/')) {
            dot = relativePath.length();
        }
        String base = relativePath.substring(0, dot) + "@" + id;
        String extension = relativePath.substring(dot);
        String name = base + extension;
        for (int n = 2; Files.exists(inbox.resolve(".done").resolve(name)) || Files.exists(inbox.resolve(".error").resolve(name)); n++) {
            name = base + "-" + n + extension;
        }
        return name;
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // only read from: nothing is lost by a failed close
        }
    }
}
