package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.TaskpollerTestSupport;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

/** With webhooks on, their provider's tasks are polled only as a safety net, at its long interval. */
class SafetyNetPollingTest extends TaskpollerTestSupport {

    private static final String PROVIDER = "scan-documents";

    @Override
    protected Properties properties() {
        Properties p = super.properties();
        p.put("taskpoller.provider.scan-documents.webhook-enabled", "true");
        p.put("taskpoller.provider.scan-documents.webhook-secret", "whsec_c2FmZXR5IG5ldCB0ZXN0IHNlY3JldA==");
        p.put("taskpoller.webhooks.safety-net-interval", "1h");
        p.put("taskpoller.poll.min-poll-interval", "100ms");
        return p;
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        return WebhookTest.withHttpServer(super.createCamelContext(), WebhookTest.freePort());
    }

    @Test
    void withWebhooksOnATaskIsPolledAtTheSafetyNetIntervalWhileARequestsOwnPollIntervalStillWins() throws Exception {
        String watched = pollingScanDocumentsTask();

        // a task of the same provider asking for the test cadence completes after three polls, in which time the
        // provider's interval (100ms) would have polled the first task several times: the safety net (1h) only once
        String paced = newTaskId(PROVIDER);
        sims.scanDocuments.addTask(SimulatedTask.completing(paced, 3));
        submit("{\"provider\":\"" + PROVIDER + "\",\"taskId\":\"" + paced + "\",\"pollInterval\":\"PT0.1S\"}");
        awaitTrue(() -> records("completed", 0).stream().anyMatch(r -> r.key().equals(PROVIDER + "/" + paced)),
                "the task with its own poll interval completed");

        assertEquals(3, sims.scanDocuments.pollsOf(paced), "the request's own interval: polled until it completed");
        assertEquals(1, sims.scanDocuments.pollsOf(watched), "only the first poll, then the safety net's long wait");
    }
}
