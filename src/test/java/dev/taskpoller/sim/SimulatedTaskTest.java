package dev.taskpoller.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskpoller.sim.SimulatedTask.Phase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedTaskTest {

    @Test
    void anObservedTaskReportsEachPollWithThePhaseItAnswered() {
        List<String> seen = new ArrayList<>();
        SimulatedTask task = SimulatedTask.completing("t-1", 3)
                .observedBy((polled, phase) -> seen.add(polled.id() + ":" + phase + ":" + polled.polls()));

        List<Phase> answered = List.of(task.poll(), task.poll(), task.poll(), task.poll());

        assertEquals(List.of(Phase.QUEUED, Phase.RUNNING, Phase.COMPLETED, Phase.COMPLETED), answered);
        assertEquals(List.of("t-1:QUEUED:1", "t-1:RUNNING:2", "t-1:COMPLETED:3", "t-1:COMPLETED:4"), seen);
    }

    @Test
    void readingThePhaseWithoutPollingTellsNoObserver() {
        List<Phase> seen = new ArrayList<>();
        SimulatedTask task = SimulatedTask.neverEnding("t-2").observedBy((polled, phase) -> seen.add(phase));

        task.phase();
        task.poll();

        assertEquals(List.of(Phase.QUEUED), seen);
    }
}
