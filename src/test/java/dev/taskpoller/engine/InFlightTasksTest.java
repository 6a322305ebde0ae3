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
    private final InFlightTasks tasks = new InFlightTasks(TestProviders.configured("taskpoller.poll.interval", "500ms"));

    @Test
    void aTaskPutBackTwiceIsStillPolledOnce() throws InterruptedException {
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
    void aTaskIsNotDueBeforeItsTime() throws InterruptedException {
        TrackedTask task = track("task_bbbbbbbbbbbbbbbb", 0);
        tasks.due(PROVIDER);
        tasks.pollAgainAt(task, System.currentTimeMillis() + 60_000);
        assertTrue(tasks.due(PROVIDER).isEmpty());
    }

    @Test
    void aStoppingContextsDispatchStopsWaitingAndTakesNothingUntilItStartsAgain() throws Exception {
        TrackedTask task = track("task_eeeeeeeeeeeeeeee", 0);
        tasks.due(PROVIDER);
        tasks.pollAgainAt(task, System.currentTimeMillis() + 60_000);
        java.util.concurrent.CompletableFuture<List<PollBatch>> waiting = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> {
                    try {
                        return tasks.due(PROVIDER);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });

        tasks.stopDispatching();
        tasks.pollAgainAt(track("task_ffffffffffffffff", 0), 0);

        assertEquals(List.of(), waiting.get(), "the waiting take ends, empty");
        assertTrue(tasks.due(PROVIDER).isEmpty(), "a due task stays in line while the context stops");
        tasks.resumeDispatching();
        assertEquals(1, tasks.due(PROVIDER).size(), "and is taken once it starts again");
    }

    @Test
    void aTaskJustAcceptedHereIsPolledAfterTheInitialDelayEvenWhenItsPartitionsRebuildReadsItBack() {
        // an hour's interval: a rebuilt task's first poll is spread over it, a new one comes after the initial delay (0s)
        InFlightTasks hourly = new InFlightTasks(TestProviders.configured("taskpoller.poll.interval", "1h"));
        TaskRequest accepted = request("task_gggggggggggggggg", "kafka:r/0/9");
        assertEquals(InFlightTasks.Claim.NEW, hourly.claim(accepted));
        long readBack = System.currentTimeMillis();

        hourly.track(accepted, 0, true);

        long firstPoll = hourly.get(accepted.key()).nextPollAt();
        assertTrue(firstPoll - readBack < 1_000, "first poll " + (firstPoll - readBack) + " ms after it was read back");
    }

    @Test
    void releasingAnOldCopyKeepsTheCopyRebuiltMeanwhile() throws InterruptedException {
        TrackedTask old = track("task_cccccccccccccccc", 1);
        tasks.dropPartition(1);
        assertNull(tasks.get(old.key()));
        TrackedTask rebuilt = track("task_cccccccccccccccc", 1);

        tasks.forget(old);

        assertSame(rebuilt, tasks.get(old.key()));
        assertEquals(1, tasks.due(PROVIDER).size(), "the old copy left in the queue is skipped, the new one is due");
    }

    @Test
    void aTaskInFlightOrJustAcceptedIsADuplicateFromAnotherInputAndTheSameInputFromItsOwn() {
        TaskRequest first = request("task_dddddddddddddddd", "file:a@1:1");
        assertEquals(InFlightTasks.Claim.NEW, tasks.claim(first), "first submission");
        assertEquals(InFlightTasks.Claim.SAME_INPUT, tasks.claim(first), "read again before it is read back");
        assertEquals(InFlightTasks.Claim.DUPLICATE, tasks.claim(request("task_dddddddddddddddd", "kafka:r/0/7")),
                "accepted, not read back yet");
        tasks.track(first, 0);
        assertEquals(InFlightTasks.Claim.SAME_INPUT, tasks.claim(first), "in flight, read again");
        assertEquals(InFlightTasks.Claim.DUPLICATE, tasks.claim(request("task_dddddddddddddddd", "kafka:r/0/8")));
    }

    @Test
    void aTaskThatEndedLatelyIsTheSameInputWhenItsInputIsReadAgainAndNewFromAnotherInput() {
        TaskRequest first = request("task_dddddddddddddddf", "file:a@1:3");
        tasks.track(first, 0);
        tasks.forget(first.key());
        tasks.finished().ended(first.key(), first.origin(), 0, Instant.now());

        assertEquals(InFlightTasks.Claim.SAME_INPUT, tasks.claim(first), "read again after a crash: passed over");
        assertEquals(InFlightTasks.Claim.NEW, tasks.claim(request(first.taskId(), "file:b@2:1")),
                "sent again in another file: polled again");
    }

    @Test
    void aTaskWhoseWriteFailedIsNewAgainWhenItsInputIsReadAgain() {
        TaskRequest request = request("task_eeeeeeeeeeeeeeee", "file:a@1:2");
        assertEquals(InFlightTasks.Claim.NEW, tasks.claim(request));
        tasks.unclaim(request(request.taskId(), "kafka:r/0/9"));
        assertEquals(InFlightTasks.Claim.SAME_INPUT, tasks.claim(request), "another input cannot give the claim back");
        tasks.unclaim(request);
        assertEquals(InFlightTasks.Claim.NEW, tasks.claim(request));
    }

    @Test
    void tasksRebuiltAfterARestartComeDueSpreadOverTheirIntervalNotAllAtOnce() throws InterruptedException {
        // polled every 500 ms: rebuilt tasks come due at random moments within it
        for (int i = 0; i < 200; i++) {
            tasks.track(request(String.format("task_r%015d", i), "test"), 0, true);
        }
        int firstTake = tasks.due(PROVIDER).stream().mapToInt(batch -> batch.tasks().size()).sum();
        assertTrue(firstTake < 200, "all 200 rebuilt tasks came due in one take");
        int total = firstTake;
        for (int takes = 0; takes < 1000 && total < 200; takes++) {
            total += tasks.due(PROVIDER).stream().mapToInt(batch -> batch.tasks().size()).sum();
        }
        assertEquals(200, total, "every rebuilt task came due within its interval");
    }

    @Test
    void theDispatchWakesUpForATaskThatComesDueSoonerThanTheOneItWaitsFor() throws Exception {
        DueQueue queue = new DueQueue();
        queue.add(new TrackedTask(request("task_ffffffffffffffff", "test"), 0), System.currentTimeMillis() + 60_000);
        java.util.concurrent.CompletableFuture<List<TrackedTask>> taken = new java.util.concurrent.CompletableFuture<>();
        // it would sleep until the task due in a minute, or for two: only being woken up ends it within the 30 s below
        Thread taker = new Thread(() -> {
            try {
                taken.complete(queue.takeDue(0, 10, 120_000));
            } catch (InterruptedException e) {
                taken.completeExceptionally(e);
            }
        });
        taker.start();
        while (taker.getState() != Thread.State.TIMED_WAITING) {
            Thread.sleep(5);
        }
        TrackedTask sooner = new TrackedTask(request("task_gggggggggggggggg", "test"), 0);

        queue.add(sooner, System.currentTimeMillis());

        assertEquals(List.of(sooner), taken.get(30, java.util.concurrent.TimeUnit.SECONDS));
    }

    private static TaskRequest request(String taskId, String origin) {
        return new TaskRequest(PROVIDER, taskId, null, null, Instant.now(), origin);
    }

    @Test
    void aTaskWhoseEventWasDecidedBeforeARestartIsTrackedButNeverPolled() throws InterruptedException {
        TaskRequest request = new TaskRequest(PROVIDER, "task_ffffffffffffffff", null, null, Instant.now(), "test");
        TrackedTask task = tasks.trackDecided(request, 2).orElseThrow();

        assertSame(task, tasks.get(request.key()));
        assertEquals(InFlightTasks.Claim.DUPLICATE, tasks.claim(request("task_ffffffffffffffff", "kafka:r/0/1")),
                "a repeated submission of it is a duplicate");
        assertFalse(tasks.lost(task));
        assertTrue(tasks.due(PROVIDER).isEmpty(), "its event is published again as it was; the provider is not asked");
    }

    @Test
    void aDecidedTaskThisInstanceAlreadyHasIsNotHandedOutAgain() throws InterruptedException {
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
