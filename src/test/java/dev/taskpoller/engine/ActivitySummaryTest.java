package dev.taskpoller.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.kafka.RecordLimit;
import dev.taskpoller.provider.PollOutcome;
import dev.taskpoller.support.TestProviders;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActivitySummaryTest {

    private static final EventFactory EVENTS = new EventFactory(new RecordLimit(1_000_000));

    private final InFlightTasks tasks = new InFlightTasks(TestProviders.configured());
    private final ProviderStats stats = new ProviderStats();
    private final ActivitySummary summary = new ActivitySummary(stats, tasks);

    @Test
    void aLineSaysWhatChangedSinceThePreviousOneTheTotalsAndTheTasksInFlightPerProvider() {
        TaskRequest scan1 = accept("scan-documents", "task_aaaaaaaaaaaaaaaa");
        accept("scan-documents", "task_bbbbbbbbbbbbbbbb");
        accept("acedata-qrart", "0b5e2f43-6a3c-4d0e-9d1f-1a2b3c4d5e6f");
        stats.rejected(Rejection.of(Rejection.MALFORMED_INPUT, "not JSON", "{", "kafka:t/0/1", null));

        String first = summary.sinceLastLine();
        assertTrue(first.matches("Last \\d+s: 3 accepted, 0 completed, 0 failed, 1 rejected\\. Since start: 3 accepted,"
                + " 0 completed, 0 failed, 1 rejected\\. In flight: 3 \\(acedata-qrart 1, scan-documents 2\\)\\."), first);

        TrackedTask finished = tasks.get(scan1.key());
        stats.finished(List.of(EVENTS.completed(finished, PollOutcome.completed(null, "{}"), Instant.now())));
        tasks.forget(finished);

        String second = summary.sinceLastLine();
        assertTrue(second.matches("Last \\d+s: 0 accepted, 1 completed, 0 failed, 0 rejected\\. Since start: 3 accepted,"
                + " 1 completed, 0 failed, 1 rejected\\. In flight: 2 \\(acedata-qrart 1, scan-documents 1\\)\\."), second);
    }

    @Test
    void nothingChangedMeansNoLineAtAll() {
        assertNull(summary.sinceLastLine(), "a service that did nothing yet logs nothing");
        accept("scan-documents", "task_cccccccccccccccc");
        assertTrue(summary.sinceLastLine() != null);
        assertNull(summary.sinceLastLine(), "a task waiting and nothing else happening is no news");
        assertNull(summary.sinceLastLine());
    }

    @Test
    void tasksInFlightChangingAloneIsNewsToo() {
        accept("scan-documents", "task_dddddddddddddddd");
        summary.sinceLastLine();
        tasks.dropPartition(0);
        assertEquals("In flight: 0.", summary.sinceLastLine().replaceAll(".*Since start: [^.]*\\. ", ""),
                "a partition handed to another instance shows as fewer tasks in flight");
    }


    private TaskRequest accept(String provider, String taskId) {
        TaskRequest request = new TaskRequest(provider, taskId, null, null, Instant.now(), "test");
        stats.accepted(request);
        tasks.track(request, 0);
        return request;
    }
}
