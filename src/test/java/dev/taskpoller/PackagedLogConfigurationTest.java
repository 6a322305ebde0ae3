package dev.taskpoller;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.xml.XmlConfiguration;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The log configuration users get (src/main/resources/log4j2.xml), not the tests' own. */
class PackagedLogConfigurationTest {

    private static final String CONTROLLER = "org.apache.kafka.controller.QuorumController";
    private static final String NETWORK_CLIENT = "org.apache.kafka.clients.NetworkClient";

    private final Configuration packaged = load();

    @AfterEach
    void stop() {
        packaged.stop();
    }

    @Test
    void theEmbeddedBrokersKnownBenignWarningsAreNotShown() {
        assertFalse(shown(CONTROLLER, Level.WARN, "[QuorumController id=1] Performing controller activation. The metadata"
                + " log appears to be empty. Appending 1 bootstrap record(s) in metadata transaction at metadata.version"
                + " 3.9-IV0 from bootstrap source 'the binary bootstrap metadata file: data/kafka/bootstrap.checkpoint'."));
        assertFalse(shown(CONTROLLER, Level.WARN, "[QuorumController id=1] Performing controller activation. Loaded ZK"
                + " migration state of NONE. This is expected because this is a de-novo KRaft cluster."));
        assertFalse(shown(NETWORK_CLIENT, Level.WARN, "[NodeToControllerChannelManager id=1 name=registration] Attempting"
                + " to close NetworkClient that has already been closed."));
    }

    @Test
    void aBrokerThatIsDownAndTheControllersOtherWarningsStillShow() {
        assertTrue(shown(NETWORK_CLIENT, Level.WARN, "[Producer clientId=taskpoller-inflight-writer] Connection to node 1"
                + " (/127.0.0.1:9092) could not be established. Node may not be available."));
        assertTrue(shown(CONTROLLER, Level.WARN, "[QuorumController id=1] Renouncing the leadership due to a metadata log"
                + " event."));
        assertTrue(shown(CONTROLLER, Level.ERROR, "[QuorumController id=1] Unexpected exception"));
    }

    private boolean shown(String logger, Level level, String text) {
        LoggerConfig config = packaged.getLoggerConfig(logger);
        return config.getLevel().isLessSpecificThan(level) && !config.isFiltered(Log4jLogEvent.newBuilder()
                .setLoggerName(logger).setLevel(level).setMessage(new SimpleMessage(text)).build());
    }

    private static Configuration load() {
        try {
            Configuration configuration = new XmlConfiguration(new LoggerContext("packaged"),
                    ConfigurationSource.fromResource("log4j2.xml", PackagedLogConfigurationTest.class.getClassLoader()));
            configuration.initialize();
            configuration.start();
            return configuration;
        } catch (Exception e) {
            throw new IllegalStateException("log4j2.xml is not on the class path or not valid", e);
        }
    }
}
