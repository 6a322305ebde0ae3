package dev.taskpoller.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.provider.Json;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
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

    @Test
    void aRequestsOwnOptionsSurviveTheCompactFormAndTheInFlightRecord() throws Exception {
        TaskRequest accepted = new TaskRequest("scan-documents", "task_abc123", null, null,
                Instant.parse("2026-11-24T08:00:00.123Z"), "test", Instant.parse("2026-11-24T08:30:00Z"),
                Duration.ofMillis(1500));

        TaskRequest kept = new TrackedTask(accepted, 0).request();
        assertEquals(accepted, kept);
        String json = Json.write(kept);
        assertTrue(json.contains("\"deadline\":\"2026-11-24T08:30:00Z\"") && json.contains("\"pollInterval\":\"PT1.5S\""), json);
        TaskRequest readBack = InFlightValue.read(json).request();
        assertEquals(accepted.deadline(), readBack.deadline(), "read back after a restart");
        assertEquals(accepted.pollInterval(), readBack.pollInterval(), "read back after a restart");
    }

    @Test
    void aTaskWithOneOptionKeepsOnlyThatOne() throws Exception {
        TaskRequest accepted = new TaskRequest("scan-documents", "task_abc123", null, null,
                Instant.parse("2026-11-24T08:00:00Z"), "test", null, Duration.ofSeconds(7));
        TrackedTask task = new TrackedTask(accepted, 0);
        String json = Json.write(task.request());
        assertFalse(json.contains("deadline"), json);
        assertEquals(Duration.ofSeconds(7), InFlightValue.read(json).request().pollInterval());
        PollPolicy provider = new PollPolicy(Duration.ZERO, Duration.ofSeconds(2), 1.0, Duration.ofMinutes(1),
                Duration.ofHours(1), 10, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO);
        assertEquals(Duration.ofSeconds(7), task.policy(provider).interval());
        assertEquals(Instant.parse("2026-11-24T09:00:00Z"), task.deadline(provider), "the provider's deadline");
    }
}
