package dev.taskpoller.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.kafka.RecordLimit;
import dev.taskpoller.provider.PollOutcome;
import dev.taskpoller.support.LogCapture;
import dev.taskpoller.support.TestProviders;
import java.time.Instant;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.junit.jupiter.api.Test;

/** Trouble that hits every task alike shows once, not once per task: thousands of tasks may share it. */
class RepeatedTroubleTest {

    private static final EventFactory EVENTS = new EventFactory(new RecordLimit(1_000_000));

    private final Providers providers = TestProviders.configured("taskpoller.provider.acedata-qrart.enabled", "false");
    private final InFlightTasks tasks = new InFlightTasks(providers);

    @Test
    void tasksInFlightForADisabledProviderAreWarnedOfOnceNotOncePerTask() {
        try (LogCapture log = LogCapture.open()) {
            for (int i = 0; i < 50; i++) {
                tasks.track(request("acedata-qrart", "0b5e2f43-6a3c-4d0e-9d1f-" + String.format("%012d", i)), 0);
            }
            List<LogEvent> warnings = warnings(log);
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(LogCapture.text(warnings.get(0)).contains("acedata-qrart"), LogCapture.text(warnings.get(0)));
        }
        assertEquals(0, tasks.size(), "they stay in flight untouched, not polled here");
    }

    @Test
    void failedPublishesOfManyBatchesAreWarnedOfOnceAMinuteNotOncePerBatch() {
        Poller poller = new Poller(providers, tasks, new ProviderStats(), EVENTS, new ProviderCircuits(providers, tasks));
        try (LogCapture log = LogCapture.open()) {
            for (int i = 0; i < 50; i++) {
                TaskRequest request = request("scan-documents", "task_" + String.format("%016d", i));
                tasks.track(request, 0);
                poller.retryPublish(EVENTS.completed(tasks.get(request.key()), PollOutcome.completed(null, "{}"), Instant.now()), 7);
            }
            List<LogEvent> warnings = warnings(log);
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(LogCapture.text(warnings.get(0)).startsWith("Publishing a batch of 7 terminal event(s) failed"), LogCapture.text(warnings.get(0)));
        }
    }

    private static List<LogEvent> warnings(LogCapture log) {
        return log.atLeast(Level.WARN).stream().filter(event -> event.getLoggerName().startsWith("dev.taskpoller")).toList();
    }

    private static TaskRequest request(String provider, String taskId) {
        return new TaskRequest(provider, taskId, null, null, Instant.now(), "test");
    }

}
