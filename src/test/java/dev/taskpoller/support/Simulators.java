package dev.taskpoller.support;

import dev.taskpoller.sim.ProviderSimulator;
import dev.taskpoller.sim.acedata.AceDataSimulator;
import dev.taskpoller.sim.closient.ClosientSimulator;
import dev.taskpoller.sim.scandocuments.ScanDocumentsSimulator;
import dev.taskpoller.sim.shoplazza.ShoplazzaSimulator;
import java.util.List;
import java.util.Properties;

/** The four provider simulators on loopback, and the configuration that points taskpoller at them. */
public final class Simulators implements AutoCloseable {

    public final AceDataSimulator aceData = new AceDataSimulator();
    public final ScanDocumentsSimulator scanDocuments = new ScanDocumentsSimulator();
    public final ShoplazzaSimulator shoplazza = new ShoplazzaSimulator();
    public final ClosientSimulator closient = new ClosientSimulator();

    public Simulators start() {
        all().forEach(ProviderSimulator::start);
        return this;
    }

    public List<ProviderSimulator> all() {
        return List.of(aceData, scanDocuments, shoplazza, closient);
    }

    public ProviderSimulator of(String provider) {
        return all().stream().filter(sim -> sim.provider().equals(provider)).findFirst().orElseThrow();
    }

    /** {@code taskpoller.provider.<name>.base-url} and {@code .api-key} for each simulator. */
    public Properties endpoints() {
        Properties properties = new Properties();
        all().forEach(sim -> properties.putAll(sim.endpointProperties()));
        return properties;
    }

    @Override
    public void close() {
        all().forEach(ProviderSimulator::close);
    }
}
