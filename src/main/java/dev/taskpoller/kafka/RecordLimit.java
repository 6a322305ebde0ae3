package dev.taskpoller.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;

/**
 * The largest record taskpoller writes ({@code taskpoller.kafka.max-record-bytes}, also its producers'
 * {@code max.request.size}). A record over it fails on every retry, so it is measured before it is sent, the way
 * the Kafka producer measures it, and a record that cannot fit is never sent at all.
 */
public record RecordLimit(int maxBytes) {

    private static final Header[] NO_HEADERS = new Header[0];

    /** The size the producer will count for this record (an upper bound, uncompressed). */
    public int sizeOf(String key, String value, Header... headers) {
        return AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE,
                bytes(key), bytes(value), headers == null ? NO_HEADERS : headers);
    }

    public boolean fits(String key, String value, Header... headers) {
        return sizeOf(key, value, headers) <= maxBytes;
    }

    /** Throws Kafka's own {@link RecordTooLargeException} for a record that could never be written. */
    public void check(String topic, String key, String value, Header... headers) {
        int size = sizeOf(key, value, headers);
        if (size > maxBytes) {
            throw new RecordTooLargeException("a record of " + size + " bytes for " + topic + " is over the limit of "
                    + maxBytes + " bytes (taskpoller.kafka.max-record-bytes)");
        }
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }
}
