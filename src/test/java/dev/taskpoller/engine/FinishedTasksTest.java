package dev.taskpoller.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FinishedTasksTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final Set<Integer> OWNED = Set.of(0, 1, 2);
    private final FinishedTasks finished = new FinishedTasks(Duration.ofMinutes(10), 3);

    @Test
    void theSameInputOfATaskThatEndedIsPassedOverButAnotherInputIsNot() {
        finished.ended("p/a", "file:x@1:1", 0, T0);

        assertTrue(finished.sameInput("p/a", "file:x@1:1"));
        assertFalse(finished.sameInput("p/a", "file:x@2:1"), "the same task from another file");
        assertFalse(finished.sameInput("p/b", "file:x@1:1"), "another task");
        assertFalse(finished.sameInput("p/a", null));
    }

    @Test
    void anEndIsTombstonedOnceRememberedForItsTimeAndForgottenOnlyWhenThatCommits() {
        finished.ended("p/a", "o1", 0, T0);
        finished.ended("p/b", "o2", 1, T0.plusSeconds(60));

        assertFalse(finished.hasChores(T0.plusSeconds(599)));
        assertEquals(List.of(), finished.chores(T0.plusSeconds(599), OWNED).tombstones());
        assertTrue(finished.hasChores(T0.plusSeconds(601)));
        FinishedTasks.Chores chores = finished.chores(T0.plusSeconds(601), OWNED);
        assertEquals(List.of("p/a"), chores.tombstones().stream().map(FinishedTasks.Finished::key).toList());

        assertTrue(finished.sameInput("p/a", "o1"), "still remembered while its tombstone is not committed");
        assertEquals(1, finished.chores(T0.plusSeconds(601), OWNED).tombstones().size(), "due again after a failure");
        finished.done(chores);
        assertFalse(finished.sameInput("p/a", "o1"));
        assertTrue(finished.sameInput("p/b", "o2"));
        assertFalse(finished.hasChores(T0.plusSeconds(601)));
    }

    @Test
    void beyondTheMostRememberedTheOldestEndsAreTombstonedFirst() {
        for (int i = 0; i < 5; i++) {
            finished.ended("p/" + i, "o" + i, 0, T0.plusSeconds(i));
        }

        FinishedTasks.Chores chores = finished.chores(T0.plusSeconds(5), OWNED);
        assertEquals(List.of("p/0", "p/1"), chores.tombstones().stream().map(FinishedTasks.Finished::key).toList());
        finished.done(chores);
        assertEquals(3, finished.size());
    }

    @Test
    void anEndReplacedOrForgottenSinceIsNoChore() {
        finished.ended("p/a", "o1", 0, T0);
        finished.ended("p/a", "o1", 0, T0);
        finished.ended("p/b", "o2", 0, T0);
        finished.forget("p/b");
        finished.ended("p/a", "o3", 0, T0.plusSeconds(700));

        assertEquals(1, finished.size());
        assertEquals(List.of(), finished.chores(T0.plusSeconds(650), OWNED).tombstones(),
                "p/a ended again later, p/b was forgotten (its tombstone read)");
    }

    @Test
    void anEndWrittenAgainIsGivenBackWhenItsTransactionFailsAndDroppedWithItsPartition() {
        TaskRequest request = new TaskRequest("p", "a", null, null, T0, "o1");
        finished.ended("p/a", "o1", 1, T0);
        assertTrue(finished.readAgain("p/a", request));
        assertFalse(finished.readAgain("p/a", new TaskRequest("p", "a", null, null, T0, "o2")), "another input");

        FinishedTasks.Chores chores = finished.chores(T0.plusSeconds(1), OWNED);
        assertEquals(List.of(new FinishedTasks.EndAgain(request, 1, T0)), chores.endsAgain());
        assertFalse(finished.hasChores(T0.plusSeconds(1)));
        finished.notDone(chores);
        assertTrue(finished.hasChores(T0.plusSeconds(1)));

        finished.dropPartition(1);
        assertFalse(finished.hasChores(T0.plusSeconds(1)));
        assertFalse(finished.sameInput("p/a", "o1"), "its new owner remembers it");
    }

    @Test
    void theEndsOfPartitionsNotOwnedAreLeftToTheirOwner() {
        finished.ended("p/a", "o1", 5, T0);

        assertEquals(List.of(), finished.chores(T0.plusSeconds(601), OWNED).tombstones());
    }
}
