package dev.taskpoller.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.support.TestProviders;
import dev.taskpoller.sim.acedata.AceDataSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What the benchmark's tasks/call figure rests on: AceData ids of the right shape, and polls counted per task. */
class TaskGroupTest {

    @Test
    void aceDataIdsOfAGroupAreIdsAceDataAcceptsAndTellTheirIndex() {
        TaskGroup group = new TaskGroup(TaskGroup.ACEDATA, "zz9a", 1_000, 1000);

        for (int index : new int[] {0, 7, 999}) {
            String id = group.id(index);
            assertEquals(Optional.empty(), TestProviders.adapter("acedata-qrart").checkTaskId(id), id);
            assertTrue(id.startsWith(group.idPrefix()), id);
            assertEquals(index, TaskGroup.indexOf(id));
        }
    }

    @Test
    void aGroupOfAProviderWithoutAnIdShapeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TaskGroup("closient-bulk-qr", "0001", 10, 1000));
    }

    @Test
    void oneBatchCallOfTwentyTasksCountsOneRequestAndTwentyTaskPolls() throws Exception {
        try (AceDataSimulator sim = new AceDataSimulator()) {
            sim.start();
            TaskGroup group = new TaskGroup(TaskGroup.ACEDATA, "0001", 20, 1000).addPending(sim);
            String ids = IntStream.range(0, 20).mapToObj(i -> "\"" + group.id(i) + "\"")
                    .collect(Collectors.joining(","));
            HttpRequest batch = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/qrart/tasks"))
                    .header("authorization", "Bearer " + sim.apiKey())
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"retrieve_batch\",\"ids\":[" + ids + "]}"))
                    .build();

            HttpResponse<String> answer = HttpClient.newHttpClient().send(batch, HttpResponse.BodyHandlers.ofString());

            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals(1, sim.requestCount());
            assertEquals(20, group.polls());
            assertEquals(20, group.polledOnce());
        }
    }
}
