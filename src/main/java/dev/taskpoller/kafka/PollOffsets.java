package dev.taskpoller.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The offsets one poll of a camel-kafka batching consumer ends at, and the consumer's group membership: what an
 * intake transaction sends with the poll's accepted tasks ({@code sendOffsetsToTransaction}), so that the poll's
 * requests are acknowledged exactly when their tasks are. A poll spans partitions: each is committed up to its own
 * last record (camel-kafka's own batch commit commits only the partition of the poll's last record). Each record's
 * manual commit (DefaultKafkaManualCommitFactory) names its partition, offset and consumer.
 *
 * <p>Read in the consumer's own thread (the route runs in it): a Kafka consumer must not be used from another.
 */
public record PollOffsets(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata membership) {

    /** The exchange property that keeps the poll's records (its body is replaced as the route goes on). */
    public static final String PROPERTY = "taskpollerPollRecords";

    public static PollOffsets of(List<Exchange> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        ConsumerGroupMetadata membership = null;
        for (Exchange record : records) {
            Object commit = record.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT);
            if (!(commit instanceof DefaultKafkaManualCommit manual)) {
                throw new IllegalStateException("the requests topic is read with allowManualCommit and"
                        + " DefaultKafkaManualCommitFactory (routes/ingest.yaml): a record came without its manual commit");
            }
            // the next offset to read, as Kafka's commits count
            offsets.put(manual.getPartition(), new OffsetAndMetadata(manual.getRecordOffset() + 1));
            if (membership == null) {
                membership = manual.getConsumer().groupMetadata();
            }
        }
        return new PollOffsets(Map.copyOf(offsets), membership);
    }

    public boolean isEmpty() {
        return offsets.isEmpty();
    }
}
