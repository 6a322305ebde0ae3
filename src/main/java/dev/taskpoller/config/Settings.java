package dev.taskpoller.config;

import static dev.taskpoller.config.ValueType.BOOLEAN;
import static dev.taskpoller.config.ValueType.BROKERS;
import static dev.taskpoller.config.ValueType.COUNT;
import static dev.taskpoller.config.ValueType.DURATION;
import static dev.taskpoller.config.ValueType.HTTP_URL;
import static dev.taskpoller.config.ValueType.MILLISECONDS;
import static dev.taskpoller.config.ValueType.MULTIPLIER;
import static dev.taskpoller.config.ValueType.NAME;
import static dev.taskpoller.config.ValueType.PATH;
import static dev.taskpoller.config.ValueType.PORT;
import static dev.taskpoller.config.ValueType.RATES;
import static dev.taskpoller.config.ValueType.POSITIVE_DURATION;
import static dev.taskpoller.config.ValueType.POSITIVE_INT;
import static dev.taskpoller.config.ValueType.RECORD_BYTES;
import static dev.taskpoller.config.ValueType.REPLICATION_FACTOR;
import static dev.taskpoller.config.ValueType.TEXT;
import static dev.taskpoller.config.ValueType.TOPIC;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Every {@code taskpoller.*} key: the catalogue the start-up check and the code that reads settings share. The
 * default values are not here: they are in {@code config/application.properties}, packaged with the jar.
 */
public final class Settings {

    public static final Setting<List<String>> KAFKA_BROKERS = new Setting<>("taskpoller.kafka.brokers", BROKERS,
            "Kafka brokers; empty starts the embedded broker");
    public static final Setting<Path> KAFKA_EMBEDDED_DATA_DIR = new Setting<>("taskpoller.kafka.embedded.data-dir",
            PATH, "the embedded broker's data");
    public static final Setting<Integer> KAFKA_EMBEDDED_PORT = new Setting<>("taskpoller.kafka.embedded.port", PORT,
            "the embedded broker's port; 0 picks a free one at each start");
    public static final Setting<Integer> KAFKA_PARTITIONS = new Setting<>("taskpoller.kafka.partitions", POSITIVE_INT,
            "partitions of the topics taskpoller creates");
    public static final Setting<Short> KAFKA_REPLICATION_FACTOR = new Setting<>("taskpoller.kafka.replication-factor",
            REPLICATION_FACTOR, "replicas of the topics taskpoller creates; -1: the broker's default");
    public static final Setting<String> KAFKA_GROUP_ID = new Setting<>("taskpoller.kafka.group-id", NAME,
            "consumer group of the requests topic");
    public static final Setting<String> KAFKA_INFLIGHT_GROUP_ID = new Setting<>("taskpoller.kafka.inflight-group-id",
            NAME, "consumer group sharing the in-flight tasks between instances");
    public static final Setting<Integer> KAFKA_POLL_TIMEOUT_MS = new Setting<>("taskpoller.kafka.poll-timeout-ms",
            MILLISECONDS, "the requests consumer's poll timeout");
    public static final Setting<Integer> KAFKA_SESSION_TIMEOUT_MS = new Setting<>("taskpoller.kafka.session-timeout-ms",
            MILLISECONDS, "how soon a crashed instance's partitions are taken over");
    public static final Setting<Integer> KAFKA_MAX_RECORD_BYTES = new Setting<>("taskpoller.kafka.max-record-bytes",
            RECORD_BYTES, "the largest record taskpoller writes (the producers' max.request.size)");

    public static final Setting<String> TOPIC_REQUESTS = topic("requests", "requests to poll a task");
    public static final Setting<String> TOPIC_INFLIGHT = topic("inflight", "accepted tasks not finished yet (compacted)");
    public static final Setting<String> TOPIC_COMPLETED = topic("completed", "completed events");
    public static final Setting<String> TOPIC_FAILED = topic("failed", "failed events");
    public static final Setting<String> TOPIC_REJECTED = topic("rejected", "rejected input");
    public static final Setting<String> TOPIC_CANCEL = topic("cancel", "requests to stop watching a task (keyed like the requests)");

    public static final Setting<Path> INBOX = new Setting<>("taskpoller.inbox", PATH,
            "folder of request files (plain id lists in a sub-folder named after their provider)");
    public static final Setting<Integer> INBOX_SCAN_MS = new Setting<>("taskpoller.inbox.scan-ms", MILLISECONDS,
            "how often the inbox is scanned");
    public static final Setting<Integer> INBOX_SETTLE_MS = new Setting<>("taskpoller.inbox.settle-ms", MILLISECONDS,
            "how long a file must stay unchanged before it is read");
    public static final Setting<Path> OUTBOX = new Setting<>("taskpoller.outbox", PATH,
            "folder of the completed/, failed/ and rejected/ JSON Lines files");

    public static final Setting<Integer> INGEST_BATCH_SIZE = new Setting<>("taskpoller.ingest.batch-size", POSITIVE_INT,
            "requests read and written to the in-flight topic together before their input is acknowledged");
    public static final Setting<Duration> INGEST_FINISHED_TTL = new Setting<>("taskpoller.ingest.finished-ttl",
            POSITIVE_DURATION, "how long a finished task's input read again (after a crash) is passed over, not polled again");
    public static final Setting<Integer> INGEST_FINISHED_MAX = new Setting<>("taskpoller.ingest.finished-max",
            POSITIVE_INT, "the most finished tasks one instance remembers for that (the oldest are forgotten first)");
    public static final Setting<Integer> INPUT_MAX_REQUEST_BYTES = limit("max-request-bytes",
            "largest request (Kafka message or inbox line), in UTF-8 bytes");
    public static final Setting<Integer> INPUT_MAX_PROVIDER_LENGTH = limit("max-provider-length",
            "longest provider name, in characters");
    public static final Setting<Integer> INPUT_MAX_TASK_ID_LENGTH = limit("max-task-id-length",
            "longest task id, in characters");
    public static final Setting<Integer> INPUT_MAX_CORRELATION_ID_LENGTH = limit("max-correlation-id-length",
            "longest correlation id, in characters");
    public static final Setting<Integer> INPUT_MAX_METADATA_BYTES = limit("max-metadata-bytes",
            "largest metadata object, as compact JSON in bytes");
    public static final Setting<Integer> INPUT_MAX_METADATA_DEPTH = limit("max-metadata-depth",
            "deepest nesting of metadata");

    public static final Setting<Duration> POLL_INITIAL_DELAY = new Setting<>("taskpoller.poll.initial-delay", DURATION,
            "first poll after acceptance");
    public static final Setting<Duration> POLL_INTERVAL = new Setting<>("taskpoller.poll.interval", POSITIVE_DURATION,
            "wait after the first poll");
    public static final Setting<Double> POLL_BACKOFF_MULTIPLIER = new Setting<>("taskpoller.poll.backoff-multiplier",
            MULTIPLIER, "the wait is multiplied by this after each poll");
    public static final Setting<Duration> POLL_MAX_INTERVAL = new Setting<>("taskpoller.poll.max-interval",
            POSITIVE_DURATION, "longest wait between polls");
    public static final Setting<Duration> POLL_DEADLINE = new Setting<>("taskpoller.poll.deadline", POSITIVE_DURATION,
            "from acceptance; a task still running then fails with deadline_exceeded");
    public static final Setting<Integer> POLL_MAX_ATTEMPTS = new Setting<>("taskpoller.poll.max-attempts", POSITIVE_INT,
            "answers about a task (calls the provider failed do not count) before it fails with max_attempts");
    public static final Setting<Duration> POLL_ERROR_BACKOFF = new Setting<>("taskpoller.poll.error-backoff",
            POSITIVE_DURATION, "the provider's error clock: first wait after a failed call, doubling per failure, with full jitter");
    public static final Setting<Duration> POLL_MAX_ERROR_BACKOFF = new Setting<>("taskpoller.poll.max-error-backoff",
            POSITIVE_DURATION, "the error clock's longest wait (Retry-After and rate-limit resets are obeyed beyond it)");
    public static final Setting<Integer> POLL_CIRCUIT_FAILURES = new Setting<>("taskpoller.poll.circuit-failures",
            POSITIVE_INT, "failed calls in a row that open the provider's circuit (its tasks wait, not called)");
    public static final Setting<Duration> POLL_CIRCUIT_OPEN = new Setting<>("taskpoller.poll.circuit-open",
            POSITIVE_DURATION, "how long an open circuit waits before one call probes the provider");
    public static final Setting<Duration> POLL_NOT_FOUND_GRACE = new Setting<>("taskpoller.poll.not-found-grace",
            DURATION, "from acceptance, how long a 404 is taken as not yet visible rather than final");
    public static final Setting<Duration> POLL_MIN_POLL_INTERVAL = new Setting<>("taskpoller.poll.min-poll-interval",
            POSITIVE_DURATION, "the shortest pollInterval a request may ask for");
    public static final Setting<Duration> POLL_MAX_POLL_INTERVAL = new Setting<>("taskpoller.poll.max-poll-interval",
            POSITIVE_DURATION, "the longest pollInterval a request may ask for");
    public static final Setting<Integer> POLL_MAX_CONCURRENT = new Setting<>("taskpoller.poll.max-concurrent",
            POSITIVE_INT, "status calls in flight at once, per provider (each its own consumer thread)");
    public static final Setting<Integer> POLL_BATCH_SIZE = new Setting<>("taskpoller.poll.batch-size", POSITIVE_INT,
            "task ids per status call, at most the provider's own limit");
    public static final Setting<Duration> POLL_BATCH_WINDOW = new Setting<>("taskpoller.poll.batch-window", DURATION,
            "batch providers also take tasks due within this window");

    public static final Setting<List<Rate>> POLL_RATE_LIMIT = new Setting<>("taskpoller.poll.rate-limit", RATES,
            "status calls allowed per provider, e.g. 2/1s; several limits (300/1m, 10000/1d) must all allow a call");
    public static final Setting<Integer> POLL_RATE_LIMIT_RESERVE = new Setting<>("taskpoller.poll.rate-limit-reserve",
            COUNT, "when a reply's RateLimit-Remaining is at or below this, the provider's calls wait for its reset");
    public static final Setting<Path> PROVIDER_DEFINITIONS = new Setting<>("taskpoller.provider-definitions", PATH,
            "folder of provider definitions (<name>.yaml), read with those packaged in the jar; a missing folder has none");

    public static final Setting<Duration> LOG_SUMMARY_INTERVAL = new Setting<>("taskpoller.log.summary-interval",
            POSITIVE_DURATION, "how often the summary line is logged at INFO, when something changed");

    public static final Setting<Duration> HTTP_CONNECT_TIMEOUT = new Setting<>("taskpoller.http.connect-timeout",
            POSITIVE_DURATION, "status calls: connect timeout");
    public static final Setting<Duration> HTTP_RESPONSE_TIMEOUT = new Setting<>("taskpoller.http.response-timeout",
            POSITIVE_DURATION, "status calls: response timeout");
    public static final Setting<Integer> HTTP_MAX_CONNECTIONS = new Setting<>("taskpoller.http.max-connections",
            POSITIVE_INT, "status calls: open connections, in all and per provider");
    public static final Setting<String> INSTANCE_ID = new Setting<>("taskpoller.instance-id", TEXT,
            "this instance's name in its status calls' User-Agent; empty: host name and process id");

    public static final Setting<Integer> PUBLISH_BATCH_SIZE = new Setting<>("taskpoller.publish.batch-size",
            POSITIVE_INT, "the most terminal events one publishing transaction commits");
    public static final Setting<Duration> PUBLISH_TRANSACTION_TIMEOUT = new Setting<>(
            "taskpoller.publish.transaction-timeout", POSITIVE_DURATION,
            "how long a crashed instance's open publishing transaction holds read_committed consumers before the broker aborts it");
    public static final Setting<Integer> PUBLISH_QUEUE_SIZE = new Setting<>("taskpoller.publish.queue-size",
            POSITIVE_INT, "terminal events waiting to be published; when full, the status calls wait for room");

    public static final ProviderSetting<String> BASE_URL = new ProviderSetting<>("base-url", HTTP_URL,
            "where the provider's API is", null, null);
    public static final ProviderSetting<String> API_KEY = new ProviderSetting<>("api-key", TEXT,
            "the provider's credential; never logged nor put in events", null, "");
    public static final ProviderSetting<Boolean> ENABLED = new ProviderSetting<>("enabled", BOOLEAN,
            "false leaves the provider out", null, "true");
    public static final ProviderSetting<Duration> INITIAL_DELAY = ProviderSetting.defaultingTo(POLL_INITIAL_DELAY);
    public static final ProviderSetting<Duration> INTERVAL = ProviderSetting.defaultingTo(POLL_INTERVAL);
    public static final ProviderSetting<Double> BACKOFF_MULTIPLIER = ProviderSetting.defaultingTo(POLL_BACKOFF_MULTIPLIER);
    public static final ProviderSetting<Duration> MAX_INTERVAL = ProviderSetting.defaultingTo(POLL_MAX_INTERVAL);
    public static final ProviderSetting<Duration> DEADLINE = ProviderSetting.defaultingTo(POLL_DEADLINE);
    public static final ProviderSetting<Integer> MAX_ATTEMPTS = ProviderSetting.defaultingTo(POLL_MAX_ATTEMPTS);
    public static final ProviderSetting<Duration> MIN_POLL_INTERVAL = ProviderSetting.defaultingTo(POLL_MIN_POLL_INTERVAL);
    public static final ProviderSetting<Duration> MAX_POLL_INTERVAL = ProviderSetting.defaultingTo(POLL_MAX_POLL_INTERVAL);
    public static final ProviderSetting<Integer> MAX_CONCURRENT = ProviderSetting.defaultingTo(POLL_MAX_CONCURRENT);
    public static final ProviderSetting<Integer> BATCH_SIZE = ProviderSetting.defaultingTo(POLL_BATCH_SIZE);
    public static final ProviderSetting<Duration> BATCH_WINDOW = ProviderSetting.defaultingTo(POLL_BATCH_WINDOW);
    public static final ProviderSetting<Duration> ERROR_BACKOFF = ProviderSetting.defaultingTo(POLL_ERROR_BACKOFF);
    public static final ProviderSetting<Duration> MAX_ERROR_BACKOFF = ProviderSetting.defaultingTo(POLL_MAX_ERROR_BACKOFF);
    public static final ProviderSetting<Duration> NOT_FOUND_GRACE = ProviderSetting.defaultingTo(POLL_NOT_FOUND_GRACE);
    public static final ProviderSetting<Integer> CIRCUIT_FAILURES = ProviderSetting.defaultingTo(POLL_CIRCUIT_FAILURES);
    public static final ProviderSetting<Duration> CIRCUIT_OPEN = ProviderSetting.defaultingTo(POLL_CIRCUIT_OPEN);
    public static final ProviderSetting<Duration> CONNECT_TIMEOUT = ProviderSetting.defaultingTo(HTTP_CONNECT_TIMEOUT);
    public static final ProviderSetting<Duration> RESPONSE_TIMEOUT = ProviderSetting.defaultingTo(HTTP_RESPONSE_TIMEOUT);
    public static final ProviderSetting<List<Rate>> RATE_LIMIT = ProviderSetting.defaultingTo(POLL_RATE_LIMIT);
    public static final ProviderSetting<Integer> RATE_LIMIT_RESERVE = ProviderSetting.defaultingTo(POLL_RATE_LIMIT_RESERVE);

    public static final Setting<String> WEBHOOKS_BASE_PATH = new Setting<>("taskpoller.webhooks.base-path", NAME,
            "where the webhook endpoints are on the HTTP server: a provider's is <base-path>/<provider>");
    public static final Setting<Duration> WEBHOOKS_TOLERANCE = new Setting<>("taskpoller.webhooks.tolerance",
            POSITIVE_DURATION, "how far a signed webhook's timestamp may be from now");
    public static final Setting<Duration> WEBHOOKS_SAFETY_NET_INTERVAL = new Setting<>(
            "taskpoller.webhooks.safety-net-interval", POSITIVE_DURATION,
            "with its webhooks on, the poll interval of a provider's tasks (a request's pollInterval still wins)");
    public static final ProviderSetting<Boolean> WEBHOOK_ENABLED = new ProviderSetting<>("webhook-enabled", BOOLEAN,
            "true: the provider's pushes (its definition's spec.push) end its tasks at once; polling is the safety net",
            null, "false");
    public static final ProviderSetting<String> WEBHOOK_SECRET = new ProviderSetting<>("webhook-secret", TEXT,
            "what its pushes are checked with: the signing secret (whsec_...) or the shared token; never logged",
            null, "");

    /** Every global key, in the order of the configuration file. */
    public static final List<Setting<?>> GLOBAL = List.of(KAFKA_BROKERS, KAFKA_EMBEDDED_DATA_DIR, KAFKA_EMBEDDED_PORT,
            KAFKA_PARTITIONS, KAFKA_REPLICATION_FACTOR, KAFKA_GROUP_ID, KAFKA_INFLIGHT_GROUP_ID, KAFKA_POLL_TIMEOUT_MS,
            KAFKA_SESSION_TIMEOUT_MS, KAFKA_MAX_RECORD_BYTES,
            TOPIC_REQUESTS, TOPIC_INFLIGHT, TOPIC_COMPLETED, TOPIC_FAILED, TOPIC_REJECTED, TOPIC_CANCEL,
            INBOX, INBOX_SCAN_MS, INBOX_SETTLE_MS, OUTBOX, INGEST_BATCH_SIZE, INGEST_FINISHED_TTL, INGEST_FINISHED_MAX,
            INPUT_MAX_REQUEST_BYTES, INPUT_MAX_PROVIDER_LENGTH, INPUT_MAX_TASK_ID_LENGTH, INPUT_MAX_CORRELATION_ID_LENGTH,
            INPUT_MAX_METADATA_BYTES, INPUT_MAX_METADATA_DEPTH,
            POLL_INITIAL_DELAY, POLL_INTERVAL, POLL_BACKOFF_MULTIPLIER, POLL_MAX_INTERVAL, POLL_DEADLINE,
            POLL_MAX_ATTEMPTS, POLL_ERROR_BACKOFF, POLL_MAX_ERROR_BACKOFF, POLL_CIRCUIT_FAILURES, POLL_CIRCUIT_OPEN,
            POLL_NOT_FOUND_GRACE, POLL_MIN_POLL_INTERVAL, POLL_MAX_POLL_INTERVAL,
            POLL_MAX_CONCURRENT, POLL_BATCH_SIZE, POLL_BATCH_WINDOW, POLL_RATE_LIMIT, POLL_RATE_LIMIT_RESERVE,
            PROVIDER_DEFINITIONS,
            LOG_SUMMARY_INTERVAL,
            HTTP_CONNECT_TIMEOUT, HTTP_RESPONSE_TIMEOUT, HTTP_MAX_CONNECTIONS, INSTANCE_ID,
            PUBLISH_BATCH_SIZE, PUBLISH_TRANSACTION_TIMEOUT, PUBLISH_QUEUE_SIZE,
            WEBHOOKS_BASE_PATH, WEBHOOKS_TOLERANCE, WEBHOOKS_SAFETY_NET_INTERVAL);

    /** Every key of {@code taskpoller.provider.<name>.*}. */
    public static final List<ProviderSetting<?>> PER_PROVIDER = List.of(BASE_URL, API_KEY, ENABLED, INITIAL_DELAY,
            INTERVAL, BACKOFF_MULTIPLIER, MAX_INTERVAL, DEADLINE, MAX_ATTEMPTS, ERROR_BACKOFF, MAX_ERROR_BACKOFF,
            CIRCUIT_FAILURES, CIRCUIT_OPEN, NOT_FOUND_GRACE, MIN_POLL_INTERVAL, MAX_POLL_INTERVAL, MAX_CONCURRENT, BATCH_SIZE, BATCH_WINDOW, CONNECT_TIMEOUT, RESPONSE_TIMEOUT,
            RATE_LIMIT, RATE_LIMIT_RESERVE, WEBHOOK_ENABLED, WEBHOOK_SECRET);

    /**
     * The keys a provider's definition may give its own default for: its polling, limits and timeouts, each with a
     * shared key to fall back to; never its address, its credential or its switch, which belong to an installation.
     */
    public static final List<ProviderSetting<?>> TUNABLE = PER_PROVIDER.stream()
            .filter(setting -> setting.global() != null).toList();

    /** The topics, which must all differ (a topic read and written by taskpoller would feed itself). */
    public static final List<Setting<String>> TOPICS = List.of(TOPIC_REQUESTS, TOPIC_INFLIGHT, TOPIC_COMPLETED,
            TOPIC_FAILED, TOPIC_REJECTED, TOPIC_CANCEL);

    private Settings() {
    }

    private static Setting<String> topic(String stream, String meaning) {
        return new Setting<>("taskpoller.topic." + stream, TOPIC, meaning);
    }

    private static Setting<Integer> limit(String key, String meaning) {
        return new Setting<>("taskpoller.input." + key, POSITIVE_INT, meaning);
    }
}
