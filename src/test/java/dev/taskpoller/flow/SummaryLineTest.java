package dev.taskpoller.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.LogCapture;
import dev.taskpoller.support.TaskpollerTestSupport;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

/** The periodic INFO summary: after activity, one line with the counts; while idle, nothing, however long. */
class SummaryLineTest extends TaskpollerTestSupport {

    private static final String SUMMARY_LOGGER = "dev.taskpoller.summary";
    private final AtomicInteger ticks = new AtomicInteger();

    @Override
    protected Properties properties() {
        Properties p = super.properties();
        p.put("taskpoller.log.summary-interval", "100ms");
        return p;
    }

    @Test
    void aSummaryFollowsActivityWithItsCountsAndAnIdleServiceLogsNone() throws Exception {
        countSummaryTicks();
        String done1 = KafkaToKafkaTest.newTaskId("scan-documents");
        String done2 = KafkaToKafkaTest.newTaskId("acedata-qrart");
        String fails = KafkaToKafkaTest.newTaskId("closient-bulk-qr");
        sims.scanDocuments.addTask(SimulatedTask.completing(done1, 2));
        sims.aceData.addTask(SimulatedTask.completing(done2, 2));
        sims.closient.addTask(SimulatedTask.failing(fails, 2, "template missing"));

        try (LogCapture log = LogCapture.open()) {
            awaitTicks(3);
            assertEquals(List.of(), summaries(log), "nothing happened yet, so no summary");

            submit(request("scan-documents", done1, null));
            submit(request("acedata-qrart", done2, null));
            submit(request("closient-bulk-qr", fails, null));
            submit("{not json");
            String expected = "Since start: 3 accepted, 2 completed, 1 failed, 1 rejected. In flight: 0.";
            awaitSummaryEndingWith(log, expected);

            int linesSoFar = summaries(log).size();
            awaitTicks(3);
            assertEquals(linesSoFar, summaries(log).size(), "idle again, so no new summary: " + summaries(log));
            String last = summaries(log).get(linesSoFar - 1);
            assertTrue(last.matches("Last \\d+s: \\d+ accepted, \\d+ completed, \\d+ failed, \\d+ rejected\\. " + expected.replace(".", "\\.")),
                    last);
        }
    }

    /** Counts the summary route's timer firings, to wait for ticks instead of for time. */
    private void countSummaryTicks() throws Exception {
        context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.ExchangeCompletedEvent completed
                        && "taskpoller-log-summary".equals(completed.getExchange().getFromRouteId())) {
                    ticks.incrementAndGet();
                }
            }
        });
    }

    private void awaitTicks(int more) throws InterruptedException {
        int target = ticks.get() + more;
        long until = System.nanoTime() + WAIT.toNanos();
        while (ticks.get() < target && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertTrue(ticks.get() >= target, "the summary route did not tick");
    }

    private void awaitSummaryEndingWith(LogCapture log, String end) throws InterruptedException {
        long until = System.nanoTime() + WAIT.toNanos();
        while (summaries(log).stream().noneMatch(line -> line.endsWith(end)) && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertTrue(summaries(log).stream().anyMatch(line -> line.endsWith(end)), "no summary ending with " + end + ": " + summaries(log));
    }

    private static List<String> summaries(LogCapture log) {
        return log.atLeast(Level.INFO).stream().filter(event -> event.getLoggerName().equals(SUMMARY_LOGGER))
                .map(LogCapture::text).toList();
    }
}
