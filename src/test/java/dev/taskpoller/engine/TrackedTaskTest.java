package dev.taskpoller.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrackedTaskTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "scan-documents   | task_abc123                          | file:/data/inbox/ids@8124-1764000000000.txt:12",
            "closient-bulk-qr | 0F8FAD5B-D9CB-469F-A165-70867728950E | kafka:taskpoller.requests/2/1234567",
            "acedata-qrart    | 42                                   | kafka:taskpoller.requests/0/0",
            "scan-documents   | task_007                             | file:ids.txt@1-2:007",
            "scan-documents   | task_9                               | test",
            "scan-documents   | task_long                            | file:a:12345678901234567890123"})
    void aTrackedTaskGivesBackTheRequestAsItWasAccepted(String provider, String taskId, String origin) {
        TaskRequest accepted = new TaskRequest(provider, taskId, "corr-1",
                JsonNodeFactory.instance.objectNode().put("k", "v"), Instant.ofEpochMilli(1_764_000_000_123L), origin);

        TrackedTask task = new TrackedTask(accepted, 1);

        assertEquals(accepted, task.request());
        assertEquals(accepted.key(), task.key());
        assertEquals(taskId, task.taskId(), "polled as sent, whatever its key");
    }
}
