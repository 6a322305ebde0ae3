package dev.taskpoller.embed;

import dev.taskpoller.TaskpollerRoutes;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.DeadLetterChannelBuilder;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A host that runs a plain {@link DefaultCamelContext} (no Camel Main) with taskpoller in it: README's Embedding
 * example. {@code main(propertiesFile)} runs it until the JVM is asked to stop (the child-JVM test starts it on a
 * class path without taskpoller's optional jars).
 */
public final class PlainContextHost {

    private PlainContextHost() {
    }

    public static CamelContext newContext(Properties properties, HostStats stats) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setInitialProperties(properties);
        KafkaComponent kafka = new KafkaComponent();
        kafka.getConfiguration().setBrokers(properties.getProperty("host.kafka.brokers"));
        kafka.getConfiguration().setPollTimeoutMs(200L);
        context.addComponent("kafka", kafka);
        context.getRegistry().bind("stats", stats);
        // the host's own error handler, for its own routes (taskpoller's routes have theirs)
        context.getCamelContextExtension().setErrorHandlerFactory(new DeadLetterChannelBuilder("seda:dead"));
        return context;
    }

    public static void addRoutes(CamelContext context) throws Exception {
        context.addRoutes(new TaskpollerRoutes());
        context.addRoutes(new HostRoutes());
    }

    public static void main(String[] args) throws Exception {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(args[0]))) {
            properties.load(in);
        }
        CamelContext context;
        try {
            context = newContext(properties, new HostStats());
            addRoutes(context);
        } catch (Exception e) {
            System.err.println("host failed to start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            context.stop();
            stopped.countDown();
        }));
        context.start();
        System.out.println("host started");
        stopped.await();
    }

    static void write(Properties properties, Path file) throws IOException {
        try (var out = Files.newBufferedWriter(file)) {
            properties.store(out, null);
        }
    }
}
