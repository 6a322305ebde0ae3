package dev.taskpoller.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskpoller.provider.ProviderAdapter;
import dev.taskpoller.support.TestProviders;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The demo and the benchmarks find the seed providers' simulators as services, and feed them ids their providers accept. */
class SeedSimulatorsTest {

    private static List<ProviderSimulator> services() {
        List<ProviderSimulator> sims = new ArrayList<>();
        ServiceLoader.load(ProviderSimulator.class).forEach(sims::add);
        return sims;
    }

    @Test
    void everySeedProviderHasItsSimulatorAsAService() {
        assertEquals(List.of("acedata-qrart", "scan-documents", "shoplazza-upload", "closient-bulk-qr"),
                services().stream().map(ProviderSimulator::provider).toList());
    }

    @Test
    void theIdsASimulatorMakesAreOnesItsProviderAccepts() {
        Random random = new Random(7);
        for (ProviderSimulator sim : services()) {
            ProviderAdapter adapter = TestProviders.adapter(sim.provider());
            for (int i = 0; i < 200; i++) {
                String id = sim.newTaskId(random);
                assertEquals(Optional.empty(), adapter.checkTaskId(id), sim.provider() + ": " + id);
            }
        }
    }
}
