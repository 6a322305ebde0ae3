package dev.taskpoller.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.TaskpollerRoutes;
import dev.taskpoller.provider.declarative.ProviderDefinitionCheckTest;
import dev.taskpoller.support.ConfigurationFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The start-up check on configurations as a file, -D system properties and environment variables give them. */
class ConfigurationCheckTest {

    private static final List<String> PROVIDERS = List.of("acedata-qrart", "closient-bulk-qr", "scan-documents",
            "shoplazza-upload");
    private static final String A_DURATION = "a duration above zero such as 250ms, 5s, 2m, 6h or 1h30m";

    @Test
    void thePackagedDefaultsPassTheCheck() {
        assertEquals(List.of(), problems(Map.of()));
    }

    @Test
    void aWordForADurationStopsTheStartNamingTheKeyTheValueAndWhatWasExpected() {
        assertEquals(List.of("taskpoller.poll.interval = 'five': expected " + A_DURATION),
                problems(Map.of("taskpoller.poll.interval", "five")));
    }

    @Test
    void aDurationWithAWordForItsUnitIsRejectedNotMisread() {
        assertEquals(List.of("taskpoller.provider.closient-bulk-qr.deadline = '6hours': expected " + A_DURATION),
                problems(Map.of("taskpoller.provider.closient-bulk-qr.deadline", "6hours")));
    }

    @Test
    void aBaseUrlThatIsNotAnAbsoluteHttpUrlIsRejected() {
        assertEquals(List.of("taskpoller.provider.scan-documents.base-url = 'not a url': expected an absolute http or"
                        + " https URL with a host, such as https://api.example.com"),
                problems(Map.of("taskpoller.provider.scan-documents.base-url", "not a url")));
    }

    @ParameterizedTest(name = "{0} = ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "taskpoller.poll.interval           | -1s       | a duration above zero",
            "taskpoller.poll.interval           | 0s        | a duration above zero",
            "taskpoller.poll.interval           | 5         | a duration above zero",
            "taskpoller.poll.interval           | 1.5s      | a duration above zero",
            "taskpoller.poll.interval           | 5 s       | a duration above zero",
            "taskpoller.poll.initial-delay      | ''        | a duration such as",
            "taskpoller.poll.batch-window       | 2 minutes | a duration such as",
            "taskpoller.http.connect-timeout    | PT5S      | a duration above zero",
            "taskpoller.poll.deadline           | 99999999999999999d | a duration above zero",
            "taskpoller.ingest.batch-size       | 0         | a whole number, 1 or more",
            "taskpoller.inbox.settle-ms         | 0         | a whole number of milliseconds, 1 or more",
            "taskpoller.kafka.poll-timeout-ms   | -500      | a whole number of milliseconds, 1 or more",
            "taskpoller.kafka.session-timeout-ms | 3000000000 | a whole number of milliseconds, 1 or more",
            "taskpoller.poll.max-attempts       | 0         | a whole number, 1 or more",
            "taskpoller.input.max-request-bytes | 64k       | a whole number, 1 or more",
            "taskpoller.poll.max-concurrent     | 0         | a whole number, 1 or more",
            "taskpoller.poll.backoff-multiplier | 0.5       | a number, 1 or more",
            "taskpoller.poll.backoff-multiplier | NaN       | a number, 1 or more",
            "taskpoller.provider.acedata-qrart.enabled | yes | true or false",
            "taskpoller.provider.acedata-qrart.enabled | ''  | true or false",
            "taskpoller.kafka.replication-factor | 0        | -1 (the broker's default) or a whole number from 1 to 32767",
            "taskpoller.kafka.embedded.port     | 65536     | a port number from 0 to 65535",
            "taskpoller.kafka.max-record-bytes  | 1000      | a whole number of bytes, 16384 or more",
            "taskpoller.kafka.brokers           | localhost | empty (start the embedded broker) or host:port",
            "taskpoller.topic.rejected          | bad topic! | a Kafka topic name",
            "taskpoller.topic.failed            | ''        | a Kafka topic name",
            "taskpoller.kafka.group-id          | ''        | a name, not empty",
            "taskpoller.outbox                  | ''        | a file system path, not empty",
            "taskpoller.provider.acedata-qrart.base-url | ftp://api.acedata.cloud | an absolute http or https URL",
            "taskpoller.provider.acedata-qrart.base-url | https://  | an absolute http or https URL",
            "taskpoller.provider.acedata-qrart.base-url | api.acedata.cloud | an absolute http or https URL",
            "taskpoller.poll.rate-limit         | 5         | one or more limits calls/duration",
            "taskpoller.poll.rate-limit         | 5/s       | one or more limits calls/duration",
            "taskpoller.poll.rate-limit         | 0/1s      | one or more limits calls/duration",
            "taskpoller.poll.rate-limit         | 5/0s      | one or more limits calls/duration",
            "taskpoller.provider.closient-bulk-qr.rate-limit | 300/1m; 10000/1d | one or more limits calls/duration",
            "taskpoller.provider.closient-bulk-qr.rate-limit | 300/1m, | one or more limits calls/duration",
            "taskpoller.poll.rate-limit-reserve | -1        | a whole number, 0 or more",
    })
    void everyKindOfBadValueIsRejectedWithWhatWasExpected(String key, String value, String expected) {
        List<String> problems = problems(Map.of(key, value));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith(key + " = '" + value + "': expected " + expected), problems.get(0));
    }

    @Test
    void goodValuesOfEveryKindAreReadAsTheirType() {
        Configuration config = configuration(Map.of(
                "taskpoller.poll.interval", "250ms",
                "taskpoller.provider.closient-bulk-qr.deadline", "1h30m",
                "taskpoller.poll.initial-delay", "0s",
                "taskpoller.poll.backoff-multiplier", "1",
                "taskpoller.kafka.brokers", "kafka-1:9092, kafka-2:9092",
                "taskpoller.kafka.replication-factor", "3",
                "taskpoller.kafka.embedded.port", "65535",
                "taskpoller.provider.scan-documents.base-url", "http://127.0.0.1:8080/v1/",
                "taskpoller.provider.shoplazza-upload.enabled", "false",
                "taskpoller.ingest.batch-size", " 50 "));
        assertEquals(List.of(), ConfigurationCheck.problems(config, PROVIDERS, Set.of(), new Properties(), Map.of()));
        assertEquals(Duration.ofMillis(250), config.get(Settings.POLL_INTERVAL));
        assertEquals(Duration.ofMinutes(90), config.get(Settings.DEADLINE, "closient-bulk-qr"));
        assertEquals(Duration.ofHours(24), config.get(Settings.DEADLINE, "scan-documents"), "the packaged default");
        assertEquals(Duration.ZERO, config.get(Settings.POLL_INITIAL_DELAY));
        assertEquals(1.0, config.get(Settings.POLL_BACKOFF_MULTIPLIER));
        assertEquals(List.of("kafka-1:9092", "kafka-2:9092"), config.get(Settings.KAFKA_BROKERS));
        assertEquals((short) 3, config.get(Settings.KAFKA_REPLICATION_FACTOR));
        assertEquals(false, config.get(Settings.ENABLED, "shoplazza-upload"));
        assertEquals(50, config.get(Settings.INGEST_BATCH_SIZE));
        assertEquals(1, config.get(Settings.MAX_CONCURRENT, "shoplazza-upload"), "its definition's default");
    }

    @Test
    void aRateLimitIsAListOfCallsPerDurationAndItsReserveACount() {
        Configuration config = configuration(Map.of(
                "taskpoller.provider.scan-documents.rate-limit", "300/1m, 10000/1d",
                "taskpoller.poll.rate-limit-reserve", "0"));
        assertEquals(List.of(), ConfigurationCheck.problems(config, PROVIDERS, Set.of(), new Properties(), Map.of()));
        assertEquals(List.of(new Rate(300, Duration.ofMinutes(1)), new Rate(10_000, Duration.ofDays(1))),
                config.get(Settings.RATE_LIMIT, "scan-documents"));
        assertEquals(List.of(new Rate(2, Duration.ofSeconds(1))), config.get(Settings.RATE_LIMIT, "shoplazza-upload"),
                "its definition's default");
        assertEquals(List.of(new Rate(5, Duration.ofSeconds(1))), config.get(Settings.RATE_LIMIT, "acedata-qrart"),
                "the packaged default");
        assertEquals(0, config.get(Settings.RATE_LIMIT_RESERVE, "acedata-qrart"));
    }

    @Test
    void pollIntervalBoundsTheWrongWayRoundStopTheStartNamingTheProvidersKey() {
        assertEquals(List.of("taskpoller.provider.scan-documents.min-poll-interval = '2h': expected at most"
                        + " taskpoller.provider.scan-documents.max-poll-interval (PT1H)"),
                problems(Map.of("taskpoller.provider.scan-documents.min-poll-interval", "2h")));
        assertEquals(Duration.ofSeconds(30), configuration(Map.of("taskpoller.poll.min-poll-interval", "30s"))
                .get(Settings.MIN_POLL_INTERVAL, "closient-bulk-qr"), "the shared default, through the placeholder");
    }

    @Test
    void misspeltKeysInTheFileNameTheNearestKnownKey() {
        assertEquals(List.of(
                        "taskpoller.poll.intervall is not a taskpoller setting: did you mean taskpoller.poll.interval?",
                        "taskpoller.provider.scan-document.api-key is not a taskpoller setting: did you mean"
                                + " taskpoller.provider.scan-documents.api-key?"),
                problems(Map.of("taskpoller.poll.intervall", "5s", "taskpoller.provider.scan-document.api-key", "k")));
    }

    @Test
    void aMisspeltSystemPropertyNamesTheNearestKnownKey() {
        Properties system = new Properties();
        system.put("taskpoller.poll.intervall", "5s");
        system.put("user.home", "/home/someone");
        assertEquals(List.of("taskpoller.poll.intervall is not a taskpoller setting (-Dtaskpoller.poll.intervall):"
                        + " did you mean taskpoller.poll.interval?"),
                ConfigurationCheck.problems(configuration(Map.of()), PROVIDERS, Set.of(), system, Map.of()));
    }

    @Test
    void aMisspeltEnvironmentVariableNamesTheNearestKnownVariableAndItsKey() {
        Map<String, String> environment = Map.of(
                "TASKPOLLER_PROVIDER_SCAN_DOCUMENT_API_KEY", "k",
                "TASKPOLLER_PROVIDER_SCAN_DOCUMENTS_API_KEY", "k",
                "PATH", "/usr/bin");
        assertEquals(List.of("environment variable TASKPOLLER_PROVIDER_SCAN_DOCUMENT_API_KEY is not a taskpoller"
                        + " setting: did you mean TASKPOLLER_PROVIDER_SCAN_DOCUMENTS_API_KEY"
                        + " (taskpoller.provider.scan-documents.api-key)?"),
                ConfigurationCheck.problems(configuration(Map.of()), PROVIDERS, Set.of(), new Properties(), environment));
    }

    @Test
    void everyProblemIsReportedInOneGo() {
        List<String> problems = problems(Map.of(
                "taskpoller.poll.interval", "five",
                "taskpoller.poll.deadline", "6hours",
                "taskpoller.provider.acedata-qrart.base-url", "not a url",
                "taskpoller.poll.intervall", "5s",
                "taskpoller.topic.completed", "taskpoller.requests"));
        assertEquals(5, problems.size(), problems.toString());
        assertTrue(problems.contains("taskpoller.topic.completed = 'taskpoller.requests': expected a topic of its own,"
                + " but taskpoller.topic.requests names it too"), problems.toString());
    }

    @Test
    void aProviderWithoutItsBaseUrlAndKeyStopsTheStartEvenWithItsDefinitionsDefaultsButADisabledOneNeedsNothingElse() {
        List<String> providers = List.of("scan-documents", "new-provider");
        String problem = "provider new-provider is known (by its definition or adapter) but has no configuration: set its"
                + " taskpoller.provider.new-provider.base-url and taskpoller.provider.new-provider.api-key (as"
                + " config/application.properties does for each provider) or taskpoller.provider.new-provider.enabled = false";
        assertEquals(List.of(problem),
                ConfigurationCheck.problems(configuration(Map.of()), providers, Set.of(), new Properties(), Map.of()));
        // what Configuration.addProviderDefaults sets from a definition is not an installation's block
        assertEquals(List.of(problem), ConfigurationCheck.problems(configuration(Map.of(
                "taskpoller.provider.new-provider.deadline", "6h")), providers, Set.of(), new Properties(), Map.of()));
        Configuration disabled = configuration(Map.of("taskpoller.provider.new-provider.enabled", "false"));
        assertEquals(List.of(), ConfigurationCheck.problems(disabled, providers,
                Set.of("taskpoller.provider.new-provider.enabled"), new Properties(), Map.of()));
    }

    @Test
    void aProvidersOwnKeyOverridesItsDefinitionsDefaultWhichOverridesTheSharedValue() {
        // Scan Documents' shipped definition gives no polling default of its own: these stand for one
        PropertiesComponent properties = properties(Map.of("taskpoller.provider.scan-documents.interval", "9s"));
        Configuration.addProviderDefaults(properties, "scan-documents", Map.of("interval", "7s", "deadline", "6h"));
        Configuration config = new Configuration(properties);

        assertEquals(Duration.ofSeconds(9), config.get(Settings.INTERVAL, "scan-documents"));
        assertEquals(Duration.ofHours(6), config.get(Settings.DEADLINE, "scan-documents"));
        assertEquals(config.get(Settings.POLL_MAX_ATTEMPTS), config.get(Settings.MAX_ATTEMPTS, "scan-documents"));
        assertEquals(config.get(Settings.POLL_DEADLINE), config.get(Settings.DEADLINE, "shoplazza-upload"));
    }

    @Test
    void aProviderBlockOfItsBaseUrlAloneTakesTheSharedValuesAndIsEnabled() {
        List<String> providers = List.of("new-provider");
        Configuration config = configuration(Map.of(
                "taskpoller.provider.new-provider.base-url", "https://api.example.com",
                "taskpoller.provider.new-provider.interval", "7s"));
        assertEquals(List.of(), ConfigurationCheck.problems(config, providers, Set.of(), new Properties(), Map.of()));
        assertEquals(Duration.ofSeconds(7), config.get(Settings.INTERVAL, "new-provider"), "its own value, an override");
        assertEquals(config.get(Settings.POLL_DEADLINE), config.get(Settings.DEADLINE, "new-provider"), "the shared one");
        assertEquals(config.get(Settings.HTTP_CONNECT_TIMEOUT), config.get(Settings.CONNECT_TIMEOUT, "new-provider"));
        assertEquals(true, config.get(Settings.ENABLED, "new-provider"), "enabled unless it says otherwise");
        assertEquals("", config.get(Settings.API_KEY, "new-provider"), "no key: its calls are refused, with a warning");
    }

    @Test
    void anEnabledProviderWithoutItsBaseUrlNamesTheKey() {
        List<String> problems = ConfigurationCheck.problems(configuration(Map.of(
                "taskpoller.provider.new-provider.api-key", "secret")), List.of("new-provider"), Set.of(),
                new Properties(), Map.of());
        assertEquals(List.of("taskpoller.provider.new-provider.base-url is not set: expected an absolute http or https URL with a host,"
                + " such as https://api.example.com"), problems);
    }

    @Test
    void aGlobalDefaultChangedOnceChangesEveryProviderThatTakesItAndABadOneIsReportedOnce() {
        Configuration config = configuration(Map.of("taskpoller.poll.max-concurrent", "7"));
        assertEquals(7, config.get(Settings.MAX_CONCURRENT, "scan-documents"));
        assertEquals(1, config.get(Settings.MAX_CONCURRENT, "shoplazza-upload"), "its definition's own value");
        assertEquals(List.of("taskpoller.poll.max-concurrent = 'many': expected a whole number, 1 or more"),
                problems(Map.of("taskpoller.poll.max-concurrent", "many")));
        // from -D too: once, naming where it comes from, not again for each provider that takes it
        Properties system = new Properties();
        system.put("taskpoller.poll.max-concurrent", "many");
        assertEquals(List.of("taskpoller.poll.max-concurrent = 'many': expected a whole number, 1 or more"
                        + " (-Dtaskpoller.poll.max-concurrent)"),
                ConfigurationCheck.problems(configuration(Map.of("taskpoller.poll.max-concurrent", "many")), PROVIDERS,
                        Set.of(), system, Map.of()));
    }

    @Test
    void thePackagedBlocksSetOnlyWhatDiffersFromTheSharedValues() throws Exception {
        Properties packaged = new Properties();
        try (var in = Files.newInputStream(Path.of("config/application.properties"))) {
            packaged.load(in);
        }
        for (String provider : PROVIDERS) {
            assertTrue(packaged.getProperty(Settings.BASE_URL.keyFor(provider)) != null, provider + "'s base URL");
            for (ProviderSetting<?> setting : Settings.PER_PROVIDER) {
                String value = packaged.getProperty(setting.keyFor(provider));
                if (value != null && setting.global() != null) {
                    assertNotEquals(packaged.getProperty(setting.global().name()), value,
                            setting.keyFor(provider) + " repeats " + setting.global().name());
                    assertFalse(value.startsWith("{{"), setting.keyFor(provider) + " is an override, not a placeholder");
                }
            }
        }
    }

    @Test
    void aHostAddingTheRoutesGetsAnExceptionNamingTheKeyAndNothingIsStarted() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            Properties host = new Properties();
            host.put("taskpoller.poll.interval", "five");
            context.getPropertiesComponent().setInitialProperties(host);
            InvalidConfigurationException thrown = assertThrows(InvalidConfigurationException.class,
                    () -> context.addRoutes(new TaskpollerRoutes()));
            assertEquals(List.of("taskpoller.poll.interval = 'five': expected " + A_DURATION), thrown.problems());
            assertTrue(context.getRoutes().isEmpty());
            assertEquals(null, context.getRegistry().lookupByName("taskpollerProviders"), "no bean bound");
        }
    }

    @Test
    void aDefinitionsDefaultIsTheProvidersValueWhenTheRoutesAreAddedAndCheckedWithItsOtherKeys(@TempDir Path definitions)
            throws Exception {
        Files.writeString(definitions.resolve("acme-render.yaml"), ProviderDefinitionCheckTest.VALID.replace("  version:",
                "  minPollInterval: {default: 2h}\n      version:"));
        try (CamelContext context = new DefaultCamelContext()) {
            Properties host = new Properties();
            host.put("taskpoller.provider-definitions", definitions.toString());
            host.put("taskpoller.provider.acme-render.base-url", "https://api.acme.example");
            context.getPropertiesComponent().setInitialProperties(host);
            InvalidConfigurationException thrown = assertThrows(InvalidConfigurationException.class,
                    () -> context.addRoutes(new TaskpollerRoutes()));
            assertEquals(List.of("taskpoller.provider.acme-render.min-poll-interval = '2h': expected at most"
                    + " taskpoller.provider.acme-render.max-poll-interval (PT1H)"), thrown.problems());
        }
    }

    @Test
    void aHostsContextGetsThePackagedTaskpollerDefaultsButNoneOfTheAppsCamelSettings() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            Configuration.addDefaults(context.getPropertiesComponent());
            assertEquals("5s", context.getPropertiesComponent().resolveProperty("taskpoller.poll.interval").orElseThrow());
            for (String appOnly : List.of("camel.main.name", "camel.management.enabled", "camel.metrics.enabled")) {
                assertTrue(context.getPropertiesComponent().resolveProperty(appOnly).isEmpty(), appOnly + " added");
            }
        }
    }

    @Test
    void theConfigurationTableListsEveryKey() throws Exception {
        String table = Files.readString(Path.of("docs/configuration.md"));
        List<String> keys = new ArrayList<>(Settings.GLOBAL.stream().map(Setting::name).toList());
        Settings.PER_PROVIDER.stream().filter(setting -> setting.global() == null)
                .forEach(setting -> keys.add(setting.keyFor("<name>")));
        keys.add("taskpoller.provider.<name>.<poll key>");
        for (String key : keys) {
            assertTrue(table.contains("| `" + key + "` |"), key + " is missing from the configuration table, docs/configuration.md");
        }
    }

    /** The problems of a configuration file with these values. */
    private static List<String> problems(Map<String, String> file) {
        PropertiesComponent properties = properties(file);
        return ConfigurationCheck.problems(new Configuration(properties), PROVIDERS,
                properties.loadProperties().stringPropertyNames(), new Properties(), Map.of());
    }

    private static Configuration configuration(Map<String, String> file) {
        return ConfigurationFiles.configuration(file);
    }

    private static PropertiesComponent properties(Map<String, String> file) {
        return ConfigurationFiles.properties(file);
    }
}
