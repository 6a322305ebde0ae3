package dev.taskpoller.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;

/**
 * Commits the offsets of one poll of a camel-kafka batching consumer, once its records are processed. camel-kafka's
 * own batch commit ({@code BatchManualCommit}) commits the partition of the poll's last record only, and its
 * automatic one commits whatever the consumer has read, processed or not: a poll spans partitions, so each of them
 * is committed here up to its own last record, through that record's manual commit.
 */
public final class PollOffsets {

    /** The exchange property that keeps the poll's records (its body is replaced as the route goes on). */
    public static final String PROPERTY = "taskpollerPollRecords";

    public void commit(@ExchangeProperty(PROPERTY) List<Exchange> records) {
        Map<Object, KafkaManualCommit> lastOfEachPartition = new LinkedHashMap<>();
        for (Exchange record : records) {
            KafkaManualCommit commit = record.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
            if (commit != null) {
                lastOfEachPartition.put(record.getMessage().getHeader(KafkaConstants.PARTITION), commit);
            }
        }
        lastOfEachPartition.values().forEach(KafkaManualCommit::commit);
    }
}
