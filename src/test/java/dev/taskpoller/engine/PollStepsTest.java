package dev.taskpoller.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.kafka.RecordLimit;
import dev.taskpoller.provider.ProviderReply;
import dev.taskpoller.support.LogCapture;
import dev.taskpoller.support.TestProviders;
import java.net.ConnectException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

/**
 * The steps of a status call, each from its input to its output: the batch and its reply (or the I/O failure) make
 * one {@link PollResult}, whose tasks go back in line only when the route hands them over.
 */
class PollStepsTest {

    private static final String PROVIDER = "scan-documents";

    private final Providers providers = TestProviders.configured(
            "taskpoller.poll.interval", "50ms", "taskpoller.poll.error-backoff", "50ms", "taskpoller.poll.backoff-multiplier", "1");
    private final InFlightTasks tasks = new InFlightTasks(providers);
    private final ProviderCircuits circuits = new ProviderCircuits(providers, tasks);
    private final Poller poller = new Poller(providers, tasks, new ProviderStats(), new EventFactory(new RecordLimit(1_000_000)), circuits);

    @Test
    void aCallThatFailedLeavesItsWholeBatchToBePolledAgainOnTheErrorClockWithNoEvent() throws Exception {
        PollBatch batch = dueBatch("task_aaaa");

        PollResult result = poller.readReply(BatchReply.failed(batch, new ConnectException("Connection refused")));

        assertEquals(List.of(), result.events());
        assertEquals(batch.tasks(), result.rescheduled().stream().map(PollResult.NextPoll::task).toList());
        assertTrue(result.rescheduled().get(0).at() > System.currentTimeMillis() - 1_000, "on the error clock, from now");
        assertEquals(List.of(), tasks.due(PROVIDER), "in line only once the route hands the result over");
        tasks.pollAgain(result.rescheduled());
        assertEquals(batch.tasks(), awaitDue());
    }

    @Test
    void aReplyEndsTheFinishedTaskWithAnEventAndPutsTheRunningOneBackInLine() throws Exception {
        PollBatch finishing = dueBatch("task_bbbb");
        PollResult finished = poller.readReply(BatchReply.answered(finishing,
                new ProviderReply(200, Map.of("Content-Type", "application/json"), "{\"id\":\"task_bbbb\",\"status\":\"failed\","
                        + "\"error\":{\"message\":\"unreadable scan\"}}")));
        PollBatch running = dueBatch("task_cccc");
        PollResult stillRunning = poller.readReply(BatchReply.answered(running,
                new ProviderReply(200, Map.of("Content-Type", "application/json"), "{\"id\":\"task_cccc\",\"status\":\"processing\"}")));

        assertEquals(List.of("failed"), finished.events().stream().map(TerminalEvent::outcome).toList());
        assertEquals(finishing.tasks().get(0), finished.events().get(0).task());
        assertEquals(List.of(), finished.rescheduled());
        assertEquals(List.of(), stillRunning.events());
        assertEquals(running.tasks(), stillRunning.rescheduled().stream().map(PollResult.NextPoll::task).toList());
    }

    @Test
    void aPollThatFailsUnexpectedlyPutsItsTasksBackInLineWhicheverStepItReached() throws Exception {
        PollBatch taken = dueBatch("task_dddd");
        PollBatch called = dueBatch("task_eeee");
        PollBatch decided = dueBatch("task_ffff");
        PollBatch dispatched = dueBatch("task_gggg");
        IllegalStateException bug = new IllegalStateException("a bug");

        try (LogCapture log = LogCapture.open()) {
            poller.pollAgainLater(taken, bug);
            poller.pollAgainLater(BatchReply.failed(called, new ConnectException()), bug);
            poller.pollAgainLater(new PollResult(decided, List.of(), List.of()), bug);
            poller.pollAgainLater(List.of(dispatched), bug);
            assertEquals(4, log.atLeast(Level.ERROR).size(), "each logged with its cause");
        }

        List<TrackedTask> back = new java.util.ArrayList<>();
        while (back.size() < 4) {
            back.addAll(awaitDue());
        }
        assertEquals(List.of("task_dddd", "task_eeee", "task_ffff", "task_gggg"),
                back.stream().map(TrackedTask::taskId).sorted().toList());
    }

    /** The task, tracked and taken as its dispatch takes it: a batch of one. */
    private PollBatch dueBatch(String taskId) throws InterruptedException {
        tasks.track(new TaskRequest(PROVIDER, taskId, null, null, Instant.now(), "test"), 0);
        List<TrackedTask> due = awaitDue();
        assertEquals(1, due.size(), due.toString());
        return new PollBatch(PROVIDER, due);
    }

    private List<TrackedTask> awaitDue() throws InterruptedException {
        long until = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < until) {
            List<PollBatch> due = tasks.due(PROVIDER);
            if (!due.isEmpty()) {
                return due.stream().flatMap(batch -> batch.tasks().stream()).toList();
            }
        }
        throw new AssertionError("nothing came due within 10 s");
    }
}
