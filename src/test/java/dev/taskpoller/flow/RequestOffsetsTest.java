package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskpoller.support.TaskpollerTestSupport;
import dev.taskpoller.support.TestKafka;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class RequestOffsetsTest extends TaskpollerTestSupport {

    private static final int REQUESTS = 12;

    @Test
    void everyProcessedRequestIsCommittedSoARestartDoesNotReadItAgain() throws Exception {
        for (int i = 0; i < REQUESTS; i++) {
            submit(i % 3 == 0 ? "not json " + i : request("scan-documents", newTaskId("scan-documents"), null));
        }
        events("rejected", REQUESTS / 3);
        context.stop();

        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin
                    .listConsumerGroupOffsets("requests-" + run).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> ends = admin.listOffsets(committed.keySet().stream()
                            .collect(Collectors.toMap(partition -> partition, partition -> OffsetSpec.latest())))
                    .all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
            long total = ends.values().stream().mapToLong(Long::longValue).sum();
            assertEquals(REQUESTS, total, "every partition that holds requests has a committed offset");
            committed.forEach((partition, offset) ->
                    assertEquals(ends.get(partition), offset.offset(), "committed up to the end of " + partition));
        }
    }
}
