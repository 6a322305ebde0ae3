package dev.taskpoller.engine;

import dev.taskpoller.observe.TaskpollerMeters;
import dev.taskpoller.provider.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a batch of terminal events in one Kafka transaction (publish.yaml): each event to its topic, each task's
 * in-flight tombstone, the tombstone of a control record that decided an event, and the in-flight follower's
 * {@link InFlightLog#fence() fence}. A read_committed consumer sees all of a batch or none of it, so a task's event
 * is visible exactly once: a crash before the commit leaves the task in flight (polled again, its event not yet
 * seen), a crash after it leaves nothing to do. An instance whose in-flight partitions moved on cannot commit for
 * them (the group coordinator refuses its offsets), so a zombie publishes nothing for a task it no longer owns.
 *
 * <p>A plain Kafka producer rather than a camel-kafka {@code to:}: camel-kafka's transactions cannot carry a
 * consumer group's offsets ({@code sendOffsetsToTransaction}), and that is what fences. One transaction at a time:
 * the batches come from one aggregator thread.
 */
public class EventTransactions {

    private static final Logger LOG = LoggerFactory.getLogger(EventTransactions.class);
    private static final String CONTENT_TYPE = "content-type";
    private static final byte[] CLOUDEVENTS_JSON = EventFactory.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8);
    /** How long a transaction that failed to begin, send or commit leaves a warning unrepeated. */
    private static final long WARNING_EVERY_MILLIS = 60_000;

    /**
     * What a batch became, now visible: its events, and the rejections of the tasks whose event Kafka refused as too
     * large (each rejection committed with its task's tombstone, in place of the event).
     */
    public record Published(List<TerminalEvent> events, List<Refused> rejections) {
    }

    /** A task whose event Kafka refused as too large, and the rejection committed in the event's place. */
    public record Refused(TerminalEvent event, Rejection rejection) {
    }

    /** Where and how: the topics, this instance's transactional id, its transaction timeout. */
    public record Settings(String brokers, String completedTopic, String failedTopic, String rejectedTopic,
                           String inFlightTopic, String transactionalId, Duration transactionTimeout, int maxRequestBytes) {
    }

    private final Settings settings;
    private final InFlightTasks tasks;
    private final InFlightLog inFlightLog;
    private final TaskControls controls;
    private final TaskpollerMeters meters;
    private KafkaProducer<String, String> producer;
    /** A commit that timed out: Kafka may still complete it, so only a commit of this very batch may follow. */
    private Sent inDoubt;
    private long lastWarning;
    private boolean fencedLogged;
    private volatile int failuresInARow;
    private volatile String lastFailure;

    public EventTransactions(Settings settings, InFlightTasks tasks, InFlightLog inFlightLog, TaskControls controls,
                             TaskpollerMeters meters) {
        this.settings = settings;
        this.tasks = tasks;
        this.inFlightLog = inFlightLog;
        this.controls = controls;
        this.meters = meters;
    }

    /**
     * Commits the batch's events that are still this instance's to publish (publish.yaml). Throws when the
     * transaction could not be committed (broker down, fenced, a commit timeout): the route tries the same batch
     * again, and what is no longer owned by then is left out.
     */
    public synchronized Published commit(List<TerminalEvent> batch) {
        long started = System.nanoTime();
        try {
            Published published = inDoubt != null && inDoubt.batch() == batch ? committed(inDoubt) : commitOwned(batch);
            meters.publishedBatch(published.events().size() + published.rejections().size(),
                    Duration.ofNanos(System.nanoTime() - started));
            failuresInARow = 0;
            lastFailure = null;
            return published;
        } catch (RuntimeException e) {
            failuresInARow++;
            lastFailure = e.getClass().getSimpleName() + ": " + Excerpt.forLog(e.getMessage());
            throw e;
        }
    }

    /** A transaction whose records are sent: the batch it came from, what it publishes, the tasks it ends. */
    private record Sent(List<TerminalEvent> batch, Published published, List<TerminalEvent> ended) {
    }

    private Published commitOwned(List<TerminalEvent> batch) {
        if (inDoubt != null) {
            // not the batch whose commit is in doubt (that one was given up, as at a stop): a new producer settles it
            replace(producer);
        }
        // the fence first, then the tasks still owned: a partition lost in between fails the commit
        InFlightLog.Fence fence = inFlightLog.fence();
        List<TerminalEvent> owned = new ArrayList<>(batch.stream().filter(event -> !tasks.superseded(event)).toList());
        Map<TerminalEvent, Rejection> tooLarge = new LinkedHashMap<>();
        if (owned.isEmpty()) {
            return new Published(List.of(), List.of());
        }
        List<TerminalEvent> refused;
        while (!(refused = send(owned, tooLarge, fence)).isEmpty()) {
            // that transaction was aborted: the next one has their rejections in place of their events
            owned.removeAll(refused);
            refused.forEach(event -> tooLarge.put(event, Rejection.cannotBeRecorded(event.task().request(),
                    new RecordTooLargeException("its " + event.outcome() + " event was refused by Kafka as too large"))));
        }
        List<TerminalEvent> ended = new ArrayList<>(owned);
        ended.addAll(tooLarge.keySet());
        List<Refused> rejections = tooLarge.entrySet().stream().map(e -> new Refused(e.getKey(), e.getValue())).toList();
        return committed(new Sent(batch, new Published(List.copyOf(owned), rejections), ended));
    }

    /**
     * Begins a transaction and sends these events, these rejections in place of events, their tasks' tombstones and
     * the fence; returns the events Kafka refused as too large (the transaction then aborted), else none.
     */
    private List<TerminalEvent> send(List<TerminalEvent> events, Map<TerminalEvent, Rejection> rejected,
                                     InFlightLog.Fence fence) {
        KafkaProducer<String, String> current = producer();
        List<Future<RecordMetadata>> sent = new ArrayList<>(events.size());
        Set<Integer> partitions = new HashSet<>();
        try {
            current.beginTransaction();
            for (TerminalEvent event : events) {
                ProducerRecord<String, String> record = new ProducerRecord<>(topicOf(event), event.key(), event.json());
                record.headers().add(new RecordHeader(CONTENT_TYPE, CLOUDEVENTS_JSON));
                sent.add(current.send(record));
                end(current, event, partitions);
            }
            rejected.forEach((event, rejection) -> {
                current.send(new ProducerRecord<>(settings.rejectedTopic(), Json.write(rejection)));
                end(current, event, partitions);
            });
            current.flush();
            List<TerminalEvent> refused = refused(events, sent);
            if (!refused.isEmpty()) {
                current.abortTransaction();
                meters.abortedTransaction("record_too_large");
                return refused;
            }
            current.sendOffsetsToTransaction(fence.offsets(partitions), fence.membership());
            return List.of();
        } catch (RuntimeException e) {
            abort(current, e);
            throw e;
        }
    }

    private Published committed(Sent sent) {
        try {
            producer.commitTransaction();
            inDoubt = null;
        } catch (TimeoutException e) {
            // Kafka may still complete it: a commit of the same batch is all that may be tried now (KafkaProducer's doc)
            inDoubt = sent;
            meters.abortedTransaction("commit_timeout");
            warn("The commit of {} terminal event(s) timed out; it is tried again until Kafka says how it ended",
                    sent.ended().size(), e);
            throw e;
        } catch (RuntimeException e) {
            inDoubt = null;
            abort(producer, e);
            throw e;
        }
        sent.ended().forEach(event -> controls.settled(event.key()));
        return sent.published();
    }

    /** The task's in-flight tombstone, and its control record's when one decided the event. */
    private void end(KafkaProducer<String, String> current, TerminalEvent event, Set<Integer> partitions) {
        int partition = event.task().partition();
        partitions.add(partition);
        current.send(new ProducerRecord<>(settings.inFlightTopic(), partition, event.key(), null));
        if (controls.decided(event.key())) {
            current.send(new ProducerRecord<>(settings.inFlightTopic(), inFlightLog.partitionOf(event.key()),
                    inFlightLog.controlKey(event.key()), null));
        }
    }

    /** Aborts the open transaction; a producer that cannot abort, or was fenced, is replaced by a new one. */
    private void abort(KafkaProducer<String, String> current, RuntimeException cause) {
        meters.abortedTransaction(reasonOf(cause));
        if (cause instanceof ProducerFencedException || cause instanceof InvalidProducerEpochException) {
            if (!fencedLogged) {
                fencedLogged = true;
                LOG.error("Another producer took this instance's transactional id {}: this batch is aborted, and a new"
                        + " producer takes the id back; two instances must not share taskpoller.instance-id (logged once)",
                        settings.transactionalId());
            }
            replace(current);
            return;
        }
        if (fatal(cause)) {
            replace(current);
            return;
        }
        warn("A publishing transaction failed ({}); its batch is aborted and tried again", reasonOf(cause), cause);
        try {
            current.abortTransaction();
        } catch (RuntimeException e) {
            replace(current);
        }
    }

    private static boolean fatal(RuntimeException e) {
        return e instanceof OutOfOrderSequenceException || e instanceof AuthorizationException
                || e instanceof UnsupportedVersionException || e instanceof IllegalStateException;
    }

    private static String reasonOf(RuntimeException e) {
        if (e instanceof org.apache.kafka.clients.consumer.CommitFailedException
                || e instanceof org.apache.kafka.common.errors.FencedInstanceIdException
                || e instanceof org.apache.kafka.common.errors.IllegalGenerationException
                || e instanceof org.apache.kafka.common.errors.UnknownMemberIdException) {
            return "fenced_membership";
        }
        if (e instanceof ProducerFencedException || e instanceof InvalidProducerEpochException) {
            return "fenced_producer";
        }
        if (e instanceof TimeoutException) {
            return "timeout";
        }
        return "error";
    }

    private List<TerminalEvent> refused(List<TerminalEvent> events, List<Future<RecordMetadata>> sent) {
        List<TerminalEvent> refused = new ArrayList<>();
        KafkaException other = null;
        for (int i = 0; i < events.size(); i++) {
            try {
                sent.get(i).get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RecordTooLargeException) {
                    refused.add(events.get(i));
                } else if (other == null) {
                    other = e.getCause() instanceof KafkaException kafka ? kafka : new KafkaException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new org.apache.kafka.common.errors.InterruptException(e);
            }
        }
        if (other != null) {
            throw other;
        }
        return refused;
    }

    private String topicOf(TerminalEvent event) {
        return "completed".equals(event.outcome()) ? settings.completedTopic() : settings.failedTopic();
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            KafkaProducer<String, String> created = new KafkaProducer<>(properties(), new StringSerializer(), new StringSerializer());
            try {
                // aborts what an earlier incarnation with this transactional id left open
                created.initTransactions();
            } catch (RuntimeException e) {
                created.close(Duration.ZERO);
                throw e;
            }
            producer = created;
        }
        return producer;
    }

    private void replace(KafkaProducer<String, String> current) {
        current.close(Duration.ZERO);
        if (producer == current) {
            producer = null;
        }
        inDoubt = null;
    }

    private Properties properties() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.brokers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId());
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) settings.transactionTimeout().toMillis());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "taskpoller-publisher");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, settings.maxRequestBytes());
        // a whole batch in few requests
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // a broker that is down fails a batch within this, and the route tries it again, instead of Kafka's 2 minutes
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        return props;
    }

    /** Whether the last batches failed in a row (for health), and the last failure. */
    public int failuresInARow() {
        return failuresInARow;
    }

    public String lastFailure() {
        return lastFailure;
    }

    private void warn(String message, Object first, Exception e) {
        long now = System.currentTimeMillis();
        if (now - lastWarning >= WARNING_EVERY_MILLIS) {
            lastWarning = now;
            LOG.warn(message + "; logged at most once a minute: {}", first, Excerpt.forLog(e.toString()));
        } else {
            LOG.debug(message, first, e);
        }
    }

    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
