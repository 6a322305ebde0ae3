package dev.taskpoller.provider.closient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.taskpoller.provider.Json;
import dev.taskpoller.provider.PollOutcome;
import dev.taskpoller.provider.PollOutcome.Status;
import dev.taskpoller.provider.ProviderAdapter;
import dev.taskpoller.provider.ProviderEndpoint;
import dev.taskpoller.provider.StatusCalls;
import dev.taskpoller.provider.TaskError;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.sim.closient.ClosientSimulator;
import dev.taskpoller.support.TestProviders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How a polled bulk QR task ends, against the simulator over loopback HTTP. */
class ClosientBulkQrOutcomesTest {

    private static final String ID = "9b2f3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    // SHA-256 of "<id>|<expiry epoch second>", computed outside Java
    private static final String SIGNED_URL = "https://cdn.closient.example/bulk/" + ID + ".zip"
            + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=3600"
            + "&X-Amz-Signature=444707b01717a7d6169ee02cf8548e4277483827dc3120684cdd8cd90586b490";

    private final SteppingClock clock = new SteppingClock(NOW);
    private final ClosientSimulator sim = new ClosientSimulator(clock);
    private final ProviderAdapter adapter = TestProviders.adapter("closient-bulk-qr");

    @BeforeEach
    void start() {
        sim.start();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private PollOutcome poll(String id) throws Exception {
        return StatusCalls.poll(adapter, new ProviderEndpoint(sim.baseUrl(), sim.apiKey()), List.of(id)).get(id);
    }

    @Test
    void runsThroughPendingAndRunningThenCompletesWithTheSignedBundleAndItsExpiry() throws Exception {
        sim.addTask(SimulatedTask.completing(ID, 3));

        PollOutcome pending = poll(ID);
        PollOutcome running = poll(ID);
        PollOutcome done = poll(ID);

        assertEquals(Status.RUNNING, pending.status());
        assertEquals("{\"task_id\":\"" + ID + "\",\"status\":\"pending\",\"download_url\":null,\"expires_at\":null,"
                + "\"items\":null,\"error\":null}", pending.providerResponse());
        assertEquals(Status.RUNNING, running.status());
        assertEquals("running", Json.parse(running.providerResponse()).orElseThrow().get("status").asText());
        assertEquals(Status.COMPLETED, done.status());
        assertNull(done.error());
        assertEquals(Json.parse("""
                {"files": [{"url": "%1$s", "name": "%2$s.zip", "contentType": "application/zip", "size": null,
                            "width": null, "height": null, "expiresAt": "2026-03-01T13:00:00+00:00"}],
                 "items": 2500,
                 "expiresAt": "2026-03-01T13:00:00+00:00",
                 "downloadUrl": "%1$s"}
                """.formatted(SIGNED_URL, ID)).orElseThrow(), done.result());
    }

    @Test
    void pollingACompletedTaskAgainCarriesTheFreshLinkAndItsLaterExpiry() throws Exception {
        sim.addTask(SimulatedTask.completing(ID, 2));
        poll(ID);
        PollOutcome first = poll(ID);

        clock.advance(Duration.ofMinutes(70));
        PollOutcome again = poll(ID);

        assertEquals("2026-03-01T13:00:00+00:00", first.result().get("expiresAt").asText());
        assertEquals("2026-03-01T14:10:00+00:00", again.result().get("expiresAt").asText());
        assertEquals("2026-03-01T14:10:00+00:00", again.result().get("files").get(0).get("expiresAt").asText());
        assertEquals(Status.COMPLETED, again.status());
        assertEquals(false, first.result().get("downloadUrl").equals(again.result().get("downloadUrl")));
    }

    @Test
    void failsWithTheErrorClosientGives() throws Exception {
        sim.addTask(SimulatedTask.failing(ID, 2, "Template 'retail-v2' does not exist"));

        assertEquals(Status.RUNNING, poll(ID).status());
        PollOutcome failed = poll(ID);

        assertEquals(Status.FAILED, failed.status());
        assertEquals(new TaskError(TaskError.PROVIDER_FAILED, "Template 'retail-v2' does not exist", null), failed.error());
        assertNull(failed.result());
        assertEquals("{\"task_id\":\"" + ID + "\",\"status\":\"failed\",\"download_url\":null,\"expires_at\":null,"
                + "\"items\":null,\"error\":\"Template 'retail-v2' does not exist\"}", failed.providerResponse());
    }

    @Test
    void anUnknownUuid4StaysPendingForEverAsCeleryReportsIt() throws Exception {
        String unknown = "0f8fad5b-d9cb-469f-a165-70867728950e";

        for (int i = 0; i < 5; i++) {
            PollOutcome outcome = poll(unknown);
            assertEquals(Status.RUNNING, outcome.status());
            assertEquals("{\"task_id\":\"" + unknown + "\",\"status\":\"pending\",\"download_url\":null,"
                    + "\"expires_at\":null,\"items\":null,\"error\":null}", outcome.providerResponse());
        }
    }

    @Test
    void carriesAnEmptyBundleAsZeroItems() throws Exception {
        sim.items(0);
        sim.addTask(SimulatedTask.completing(ID, 2));

        poll(ID);
        PollOutcome done = poll(ID);

        assertEquals(Status.COMPLETED, done.status());
        assertEquals(0, done.result().get("items").intValue());
        assertEquals(true, done.result().get("items").isInt());
    }

    /** A clock a test moves by hand, so expiry times are exact. */
    static final class SteppingClock extends Clock {
        private volatile Instant now;

        SteppingClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
