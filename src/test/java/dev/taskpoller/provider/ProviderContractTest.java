package dev.taskpoller.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.taskpoller.provider.PollOutcome.Status;
import dev.taskpoller.provider.declarative.DeclarativeAdapter;
import dev.taskpoller.sim.Fault;
import dev.taskpoller.sim.ProviderSimulator;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.sim.acedata.AceDataSimulator;
import dev.taskpoller.sim.closient.ClosientSimulator;
import dev.taskpoller.sim.scandocuments.ScanDocumentsSimulator;
import dev.taskpoller.sim.shoplazza.ShoplazzaSimulator;
import dev.taskpoller.support.AcmeTranscode;
import dev.taskpoller.support.TestProviders;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every provider keeps, whatever its definition: one parameterised test per behaviour, run over each
 * provider against its simulator on loopback HTTP. A new provider's tests are a fixture line here.
 */
class ProviderContractTest {

    /** A provider, the simulator that stands in for it (started), and a well-formed id of it. */
    record Fixture(ProviderAdapter adapter, Supplier<ProviderSimulator> simulator, String taskId) {
    }

    static Stream<Named<Fixture>> providers() {
        return Stream.of(
                Named.of("closient-bulk-qr (definition)", new Fixture(TestProviders.adapter("closient-bulk-qr"),
                        () -> new ClosientSimulator().start(), "9b2f3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d")),
                Named.of("acme-transcode (definition)", new Fixture(new DeclarativeAdapter(AcmeTranscode.definition()),
                        AcmeTranscode::simulator, "job_0123456789ab")),
                Named.of("scan-documents (definition)", new Fixture(TestProviders.adapter("scan-documents"),
                        () -> new ScanDocumentsSimulator().start(), "task_0123456789abcdef")),
                Named.of("shoplazza-upload (Java)", new Fixture(TestProviders.adapter("shoplazza-upload"),
                        () -> new ShoplazzaSimulator().start(), "7d0c9a1e-4b2f-4c3d-bd5f-a1b2c3d4e5f6")),
                Named.of("acedata-qrart (Java)", new Fixture(TestProviders.adapter("acedata-qrart"),
                        () -> new AceDataSimulator().start(), "7d0c9a1e-4b2f-4c3d-bd5f-a1b2c3d4e5f6")));
    }

    private static PollOutcome poll(Fixture fixture, ProviderSimulator sim, String key) throws Exception {
        return StatusCalls.poll(fixture.adapter(), new ProviderEndpoint(sim.baseUrl(), key), List.of(fixture.taskId()))
                .get(fixture.taskId());
    }

    private static PollOutcome poll(Fixture fixture, ProviderSimulator sim) throws Exception {
        return poll(fixture, sim, sim.apiKey());
    }

    @ParameterizedTest
    @MethodSource("providers")
    void runsThenCompletesWithItsFiles(Fixture fixture) throws Exception {
        try (ProviderSimulator sim = fixture.simulator().get()) {
            sim.addTask(SimulatedTask.completing(fixture.taskId(), 3));

            List<Status> seen = List.of(poll(fixture, sim).status(), poll(fixture, sim).status());
            PollOutcome done = poll(fixture, sim);

            assertEquals(List.of(Status.RUNNING, Status.RUNNING), seen);
            assertEquals(Status.COMPLETED, done.status());
            assertEquals(true, done.result().get("files").size() > 0, done.result().toString());
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void runsThenFailsAsTheProviderSaysWithAMessage(Fixture fixture) throws Exception {
        try (ProviderSimulator sim = fixture.simulator().get()) {
            sim.addTask(SimulatedTask.failing(fixture.taskId(), 2, "out of paper"));

            PollOutcome running = poll(fixture, sim);
            PollOutcome failed = poll(fixture, sim);

            assertEquals(Status.RUNNING, running.status());
            assertEquals(List.of(Status.FAILED, TaskError.PROVIDER_FAILED), List.of(failed.status(), failed.error().reason()));
            assertEquals(false, failed.error().message().isBlank());
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void a404IsNotFoundA422AnInvalidTaskIdAndA401Unauthorized(Fixture fixture) throws Exception {
        try (ProviderSimulator sim = fixture.simulator().get()) {
            sim.addTask(SimulatedTask.completing(fixture.taskId(), 3));
            sim.injectFault(Fault.status(404)).injectFault(Fault.status(422));

            PollOutcome notFound = poll(fixture, sim);
            PollOutcome invalid = poll(fixture, sim);
            PollOutcome refused = poll(fixture, sim, "not-the-key");

            assertEquals(List.of(Status.FAILED, TaskError.NOT_FOUND, 404), List.of(notFound.status(),
                    notFound.error().reason(), notFound.error().httpStatus()));
            assertEquals(List.of(Status.FAILED, TaskError.INVALID_TASK_ID, 422), List.of(invalid.status(),
                    invalid.error().reason(), invalid.error().httpStatus()));
            assertEquals(List.of(Status.FAILED, TaskError.UNAUTHORIZED, 401), List.of(refused.status(),
                    refused.error().reason(), refused.error().httpStatus()));
            assertEquals(0, sim.pollsOf(fixture.taskId()), "no poll reached the task");
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void a429WaitsForItsRetryAfter(Fixture fixture) throws Exception {
        try (ProviderSimulator sim = fixture.simulator().get()) {
            sim.injectFault(Fault.rateLimited(9));

            PollOutcome outcome = poll(fixture, sim);

            assertEquals(Status.RETRY, outcome.status());
            assertEquals(TaskError.RATE_LIMITED, outcome.error().reason());
            assertEquals(Duration.ofSeconds(9), outcome.retryAfter());
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void a500IsRetriedAndThePollsAfterItCarryOn(Fixture fixture) throws Exception {
        try (ProviderSimulator sim = fixture.simulator().get()) {
            sim.addTask(SimulatedTask.completing(fixture.taskId(), 2));
            sim.injectFault(Fault.status(500));

            PollOutcome unavailable = poll(fixture, sim);
            PollOutcome running = poll(fixture, sim);
            PollOutcome done = poll(fixture, sim);

            assertEquals(List.of(Status.RETRY, TaskError.PROVIDER_UNAVAILABLE), List.of(unavailable.status(),
                    unavailable.error().reason()));
            assertNull(unavailable.retryAfter());
            assertEquals(List.of(Status.RUNNING, Status.COMPLETED), List.of(running.status(), done.status()));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aGarbageBodyIsARetryableBadResponseNeverACompletion(Fixture fixture) throws Exception {
        try (ProviderSimulator sim = fixture.simulator().get()) {
            sim.addTask(SimulatedTask.completing(fixture.taskId(), 1));
            sim.injectFault(Fault.garbage()).injectFault(new Fault(200, "{\"status\": \"done\", \"state\": \"done\"}", null));

            PollOutcome garbage = poll(fixture, sim);
            PollOutcome unknownShape = poll(fixture, sim);

            assertEquals(List.of(Status.RETRY, TaskError.BAD_RESPONSE), List.of(garbage.status(), garbage.error().reason()));
            assertEquals(List.of(Status.RETRY, TaskError.BAD_RESPONSE), List.of(unknownShape.status(),
                    unknownShape.error().reason()));
        }
    }
}
