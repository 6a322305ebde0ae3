package dev.taskpoller.ingest;

/** A whole inbox file that cannot be read (encoding, misplaced .txt, CSV without header): it goes to {@code .error/}. */
public class UnreadableInboxFileException extends RuntimeException {

    public UnreadableInboxFileException(String message) {
        super(message);
    }

    public UnreadableInboxFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
