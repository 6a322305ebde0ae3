package dev.taskpoller.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.engine.EventFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The promise the crash tests check: every task ends with exactly one event id, however often it is repeated. */
public final class EventIds {

    private EventIds() {
    }

    /**
     * Asserts that {@code events} name exactly the tasks of {@code providerOf} (task id → provider), each with the one
     * id of its {@code outcome}, and returns how many events repeat one already there.
     */
    public static int assertOneIdPerTask(Map<String, String> providerOf, List<JsonNode> events, String outcome, String where) {
        Map<String, List<JsonNode>> bySubject = events.stream().collect(Collectors.groupingBy(e -> e.path("subject").asText()));
        assertEquals(providerOf.keySet(), bySubject.keySet(), where + ": one subject per task, no more, no less");
        bySubject.forEach((task, same) -> assertEquals(Set.of(EventFactory.eventId(providerOf.get(task), task, outcome)),
                same.stream().map(e -> e.path("id").asText()).collect(Collectors.toSet()), where + ": one event id for " + task));
        return events.size() - bySubject.size();
    }
}
