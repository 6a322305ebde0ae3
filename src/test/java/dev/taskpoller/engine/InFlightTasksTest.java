package dev.taskpoller.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.support.TestProviders;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InFlightTasksTest {

    private static final String PROVIDER = "scan-documents";
    private final InFlightTasks tasks = new InFlightTasks(TestProviders.configured());

    @Test
    void aTaskPutBackTwiceIsStillPolledOnce() {
        TrackedTask task = track("task_aaaaaaaaaaaaaaaa", 0);
        List<PollBatch> first = tasks.due(PROVIDER);
        assertEquals(1, first.size());

        long now = System.currentTimeMillis();
        tasks.pollAgainAt(task, now - 1);
        tasks.pollAgainAt(task, now - 1);

        List<PollBatch> second = tasks.due(PROVIDER);
        assertEquals(1, second.size(), "one call, not two");
        assertEquals(1, second.get(0).tasks().size());
        assertTrue(tasks.due(PROVIDER).isEmpty());
    }

    @Test
    void aTaskIsNotDueBeforeItsTime() {
        TrackedTask task = track("task_bbbbbbbbbbbbbbbb", 0);
        tasks.due(PROVIDER);
        tasks.pollAgainAt(task, System.currentTimeMillis() + 60_000);
        assertTrue(tasks.due(PROVIDER).isEmpty());
    }

    @Test
    void releasingAnOldCopyKeepsTheCopyRebuiltMeanwhile() {
        TrackedTask old = track("task_cccccccccccccccc", 1);
        tasks.dropPartition(1);
        assertNull(tasks.get(old.key()));
        TrackedTask rebuilt = track("task_cccccccccccccccc", 1);

        tasks.forget(old);

        assertSame(rebuilt, tasks.get(old.key()));
        assertEquals(1, tasks.due(PROVIDER).size(), "the old copy left in the queue is skipped, the new one is due");
    }

    @Test
    void aTaskInFlightOrJustAcceptedIsADuplicate() {
        assertTrue(tasks.add("scan-documents/task_dddddddddddddddd"), "first submission");
        assertFalse(tasks.add("scan-documents/task_dddddddddddddddd"), "accepted, not read back yet");
        track("task_dddddddddddddddd", 0);
        assertTrue(tasks.contains("scan-documents/task_dddddddddddddddd"));
        assertTrue(tasks.remove("scan-documents/task_eeeeeeeeeeeeeeee") == false);
    }

    @Test
    void aTaskWhoseEventWasDecidedBeforeARestartIsTrackedButNeverPolled() {
        TaskRequest request = new TaskRequest(PROVIDER, "task_ffffffffffffffff", null, null, Instant.now(), "test");
        TrackedTask task = tasks.trackDecided(request, 2).orElseThrow();

        assertSame(task, tasks.get(request.key()));
        assertTrue(tasks.contains(request.key()), "a repeated submission of it is a duplicate");
        assertFalse(tasks.lost(task));
        assertTrue(tasks.due(PROVIDER).isEmpty(), "its event is published again as it was; the provider is not asked");
    }

    @Test
    void aDecidedTaskThisInstanceAlreadyHasIsNotHandedOutAgain() {
        TaskRequest request = new TaskRequest(PROVIDER, "task_gggggggggggggggg", null, null, Instant.now(), "test");
        TrackedTask first = tasks.trackDecided(request, 0).orElseThrow();
        assertTrue(tasks.trackDecided(request, 0).isEmpty(), "already being published here");
        assertSame(first, tasks.get(request.key()));

        TrackedTask polled = track("task_hhhhhhhhhhhhhhhh", 0);
        assertTrue(tasks.trackDecided(polled.request(), 0).isEmpty(), "a task this instance polls keeps its state");
        assertSame(polled, tasks.get(polled.key()));
    }

    @Test
    void aCopyOfATaskIsLostOnceItsPartitionMoves() {
        TrackedTask task = track("task_iiiiiiiiiiiiiiii", 3);
        tasks.dropPartition(3);
        assertTrue(tasks.lost(task), "its new owner finishes it");
    }

    private TrackedTask track(String taskId, int partition) {
        tasks.track(new TaskRequest(PROVIDER, taskId, null, null, Instant.now(), "test"), partition);
        return tasks.get(PROVIDER + "/" + taskId);
    }

}
