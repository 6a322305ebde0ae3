package dev.taskpoller.engine;

import dev.taskpoller.kafka.TransactionalProducers;
import dev.taskpoller.observe.TaskpollerMeters;
import dev.taskpoller.provider.Json;
import dev.taskpoller.text.Excerpt;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes batches of terminal events in Kafka transactions (publish.yaml), each fenced by the in-flight follower's
 * {@link InFlightLog#fence() group membership}:
 * <ol>
 *   <li>{@link #commit}: each event to its topic and, in its task's in-flight record, the event as published (for an
 *       event Kafka refuses as too large: a rejection and the task's end in its place);</li>
 *   <li>the route writes the outbox lines, then hands the events back as {@link #written};</li>
 *   <li>their tasks' ends (an ended record each, {@link FinishedTasks}), and the tombstones of the control records
 *       that decided events: in the next batch's transaction, or in one of their own ({@link #settle}) when no batch
 *       follows at once. One transaction per batch while events keep coming, and an idle instance leaves no task
 *       unended. The same transactions carry the tombstones of ends remembered long enough.</li>
 * </ol>
 * A read_committed consumer sees each task's event once: a crash before the first commit leaves the task in flight
 * (polled again; its event was never visible), a crash after it leaves a record from which a rebuild writes the
 * outbox line again (the same event) and the end, without publishing or polling again. An instance whose
 * in-flight partitions moved on cannot commit for them (the group coordinator refuses its offsets): a zombie makes
 * nothing visible for a task it no longer owns.
 *
 * <p>A plain Kafka producer rather than a camel-kafka {@code to:}: camel-kafka's transactions cannot carry a
 * consumer group's offsets ({@code sendOffsetsToTransaction}), and that is what fences. One transaction at a time:
 * the batches come from one thread.
 */
public class EventTransactions {

    private static final Logger LOG = LoggerFactory.getLogger(EventTransactions.class);
    private static final String CONTENT_TYPE = "content-type";
    private static final byte[] CLOUDEVENTS_JSON = EventFactory.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8);
    /** How long a warning about failing transactions stays unrepeated. */
    private static final long WARNING_EVERY_MILLIS = 60_000;

    /**
     * What a batch became, now visible: its events, and the tasks whose event Kafka refused as too large, each with
     * the rejection committed in the event's place.
     */
    public record Published(List<TerminalEvent> events, List<Refused> rejections) {

        /**
         * One batch's result is itself: the routes' bean parameters (Camel's bean language, which keys what it
         * learns of a bean by the bean's hash) would otherwise hash every event of the batch, for each of them.
         */
        @Override
        public boolean equals(Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    /** A task whose event Kafka refused as too large, and the rejection committed in the event's place. */
    public record Refused(TerminalEvent event, Rejection rejection) {
    }

    /** Where and how: the topics, this instance's transactional id, its transaction timeout, the largest record. */
    public record Settings(String brokers, String completedTopic, String failedTopic, String rejectedTopic,
                           String inFlightTopic, String transactionalId, Duration transactionTimeout, int maxRequestBytes) {
    }

    /** What one transaction sends, and the events whose records Kafka may refuse as too large. */
    private static final class Sends {
        final Set<Integer> partitions = new HashSet<>();
        final List<TerminalEvent> events = new ArrayList<>();
        final List<Future<RecordMetadata>> results = new ArrayList<>();
        /** The transaction's other records (in-flight records, rejections). */
        final List<Future<RecordMetadata>> others = new ArrayList<>();
        /** When the tasks this transaction ends ended (their ended records say so). */
        final Instant endedAt = Instant.now();
    }

    private interface Records {
        void send(KafkaProducer<String, String> producer, Sends sends);
    }

    private final Settings settings;
    private final InFlightTasks tasks;
    private final InFlightLog inFlightLog;
    private final TaskControls controls;
    private final TaskpollerMeters meters;
    private KafkaProducer<String, String> producer;
    /** What a commit that timed out was for (a batch, or a Published being settled): only that commit may follow. */
    private Object inDoubt;
    private Published inDoubtPublished;
    /** The chores of the transaction in doubt (FinishedTasks): done once it commits, given back if it fails. */
    private FinishedTasks.Chores inDoubtChores;
    /** The tasks whose ends the transaction in doubt (or the last one begun) carries, and when they ended. */
    private List<TerminalEvent> inDoubtEnding = List.of();
    private Instant inDoubtEndedAt;
    /** Events published and in the outbox whose tasks' ends are not committed yet (the next transaction's). */
    private final List<TerminalEvent> unended = new ArrayList<>();
    private long lastWarning;
    private boolean fencedLogged;
    private volatile int failuresInARow;
    private volatile String lastFailure;
    /** When the first of the failed transactions in a row began (System.nanoTime). */
    private volatile long failingSinceNanos;

    public EventTransactions(Settings settings, InFlightTasks tasks, InFlightLog inFlightLog, TaskControls controls,
                             TaskpollerMeters meters) {
        this.settings = settings;
        this.tasks = tasks;
        this.inFlightLog = inFlightLog;
        this.controls = controls;
        this.meters = meters;
    }

    /** Creates the producer as the context starts: the first batch then waits for no set-up (the transaction log). */
    public synchronized void open() {
        try {
            KafkaProducer<String, String> current = producer();
            // the topics' metadata too: the first batch's sends then wait for none
            for (String topic : List.of(settings.completedTopic(), settings.failedTopic(), settings.rejectedTopic(),
                    settings.inFlightTopic())) {
                current.partitionsFor(topic);
            }
        } catch (RuntimeException e) {
            LOG.warn("The publishing producer could not start yet ({}); the first batch tries again",
                    Excerpt.forLog(e.getMessage()));
        }
    }

    /**
     * Publishes the batch's events that are still this instance's to publish (a rebuilt one found in its topic
     * already is not sent again). Throws when the transaction could not be committed (broker down, fenced, a commit
     * timeout): the route tries the same batch again, and what is no longer owned by then is left out.
     */
    public synchronized Published commit(List<TerminalEvent> batch) {
        long started = System.nanoTime();
        try {
            Published published;
            if (inDoubt == batch) {
                commitInDoubt();
                ended(inDoubtEnding);
                published = inDoubtPublished;
            } else {
                published = publish(batch);
            }
            meters.publishedBatch(published.events().size() + published.rejections().size(),
                    Duration.ofNanos(System.nanoTime() - started));
            succeeded();
            return published;
        } catch (RuntimeException e) {
            failed(e, started);
            throw e;
        }
    }

    /**
     * A published batch's events are in the outbox: their tasks' ends can be committed, with the next batch's
     * events or by {@link #settle}.
     */
    public synchronized void written(Published published) {
        unended.addAll(published.events());
    }

    /**
     * Ends the tasks written and not ended yet (no batch followed to carry their ends): their ended records, and the
     * tombstones of the control records that decided their events, in one transaction, with the chores of the tasks
     * that ended lately ({@link FinishedTasks#chores}). Throws as {@link #commit} does; the route tries again.
     */
    public synchronized void settle() {
        long started = System.nanoTime();
        try {
            if (inDoubt != null && inDoubt == inDoubtEnding) {
                commitInDoubt();
            } else {
                List<TerminalEvent> ending = endable();
                if (ending.isEmpty() && !tasks.finished().hasChores(Instant.now())) {
                    // nothing to commit (no success either: the health of failing batches stays as it is); those
                    // left out are no longer this instance's
                    unended.clear();
                    return;
                }
                inDoubtEnding = ending;
                transaction(ending, inFlightLog.fence(), (current, sends) -> ending.forEach(event ->
                        end(current, event, sends)));
            }
            ended(inDoubtEnding);
            succeeded();
        } catch (RuntimeException e) {
            failed(e, started);
            throw e;
        }
    }

    /**
     * {@link #settle} for the timer route (the chores of tasks that ended lately, when no batch carries them), unless
     * a commit is in doubt: only that commit may follow, tried again by the route whose step it was.
     */
    public synchronized void settleWhenIdle() {
        if (inDoubt == null) {
            settle();
        }
    }

    /** The unended tasks still this instance's: a task whose partition moved on is ended by its new owner's rebuild. */
    private List<TerminalEvent> endable() {
        return unended.stream().filter(event -> !tasks.lost(event.task())).toList();
    }

    /**
     * A committed transaction carried these tasks' ends: they are done here, and remembered as ended (what the
     * follower would learn from their ended records, which it passes over).
     */
    private void ended(List<TerminalEvent> ending) {
        FinishedTasks finished = tasks.finished();
        for (TerminalEvent event : ending) {
            controls.settled(event.key());
            finished.ended(event.key(), event.task().request().origin(), event.task().partition(), inDoubtEndedAt);
            tasks.forget(event.task());
        }
        // those left out were no longer this instance's
        unended.clear();
        inDoubtEnding = List.of();
    }

    private Published publish(List<TerminalEvent> batch) {
        if (inDoubt != null) {
            // not what the commit in doubt was for (that was given up, as at a stop): a new producer settles it
            replace(producer);
        }
        // the fence first, then the tasks still owned: a partition lost in between fails the commit
        InFlightLog.Fence fence = inFlightLog.fence();
        List<TerminalEvent> owned = new ArrayList<>(batch.stream().filter(event -> !tasks.superseded(event)).toList());
        Map<TerminalEvent, Rejection> tooLarge = new LinkedHashMap<>();
        // the tasks of the batches before, written to the outbox since: their ends ride along
        List<TerminalEvent> ending = endable();
        List<TerminalEvent> refused;
        do {
            List<TerminalEvent> toSend = owned.stream().filter(event -> !event.inTopic()).toList();
            if (toSend.isEmpty() && tooLarge.isEmpty() && ending.isEmpty()) {
                break;
            }
            // what this transaction publishes and ends, should its commit time out and be tried again
            inDoubtPublished = published(owned, tooLarge);
            inDoubtEnding = ending;
            refused = transaction(batch, fence, (current, sends) -> {
                ending.forEach(event -> end(current, event, sends));
                toSend.forEach(event -> publishEvent(current, event, sends));
                tooLarge.forEach((event, rejection) -> {
                    sends.others.add(current.send(new ProducerRecord<>(settings.rejectedTopic(), Json.write(rejection))));
                    end(current, event, sends);
                });
            });
            // an aborted transaction: the next one has their rejections in place of their events
            owned.removeAll(refused);
            refused.forEach(event -> tooLarge.put(event, Rejection.cannotBeRecorded(event.task().request(),
                    new RecordTooLargeException("its " + event.outcome() + " event was refused by Kafka as too large"))));
        } while (!refused.isEmpty());
        ended(ending);
        tooLarge.keySet().forEach(event -> controls.settled(event.key()));
        return published(owned, tooLarge);
    }

    private static Published published(List<TerminalEvent> events, Map<TerminalEvent, Rejection> tooLarge) {
        return new Published(List.copyOf(events),
                tooLarge.entrySet().stream().map(e -> new Refused(e.getKey(), e.getValue())).toList());
    }

    /** The event to its topic, and as published into its task's in-flight record (for the outbox after a crash). */
    private void publishEvent(KafkaProducer<String, String> current, TerminalEvent event, Sends sends) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topicOf(event), event.key(), event.json());
        record.headers().add(new RecordHeader(CONTENT_TYPE, CLOUDEVENTS_JSON));
        sends.events.add(event);
        sends.results.add(current.send(record));
        int partition = event.task().partition();
        sends.partitions.add(partition);
        ProducerRecord<String, String> published = new ProducerRecord<>(settings.inFlightTopic(), partition,
                event.key(), InFlightValue.publishedRecord(event.task().request(), event.outcome(), event.json()));
        published.headers().add(InFlightValue.PUBLISHED);
        sends.others.add(current.send(published));
    }

    /**
     * The task's ended record (its input read again is passed over while it is remembered, FinishedTasks), and its
     * control record's tombstone when one decided its event.
     */
    private void end(KafkaProducer<String, String> current, TerminalEvent event, Sends sends) {
        int partition = event.task().partition();
        sends.partitions.add(partition);
        sends.others.add(current.send(ended(partition, event.key(),
                InFlightValue.endedRecord(event.task().request(), sends.endedAt))));
        if (controls.decided(event.key())) {
            sends.others.add(current.send(new ProducerRecord<>(settings.inFlightTopic(),
                    inFlightLog.partitionOf(event.key()), inFlightLog.controlKey(event.key()), null)));
        }
    }

    /**
     * One transaction: begin, the records, the chores of the tasks that ended lately, the fence, commit. Returns the
     * events Kafka refused as too large (the transaction then aborted), else none (committed). A commit that times
     * out stays in doubt for {@code purpose}.
     */
    private List<TerminalEvent> transaction(Object purpose, InFlightLog.Fence fence, Records records) {
        KafkaProducer<String, String> current = producer();
        Sends sends = new Sends();
        FinishedTasks finished = tasks.finished();
        FinishedTasks.Chores chores = finished.chores(Instant.now(), inFlightLog.ownedPartitions());
        inDoubtEndedAt = sends.endedAt;
        try {
            current.beginTransaction();
            records.send(current, sends);
            choresOf(current, chores, sends);
            List<TerminalEvent> refused = refused(sends);
            if (!refused.isEmpty()) {
                current.abortTransaction();
                finished.notDone(chores);
                meters.abortedTransaction("record_too_large");
                return refused;
            }
            current.sendOffsetsToTransaction(fence.offsets(sends.partitions), fence.membership());
        } catch (RuntimeException e) {
            finished.notDone(chores);
            abort(current, e);
            throw e;
        }
        try {
            current.commitTransaction();
        } catch (TimeoutException e) {
            // Kafka may still complete it: this very commit is all that may be tried now (KafkaProducer's doc)
            inDoubt = purpose;
            inDoubtChores = chores;
            meters.abortedTransaction("commit_timeout");
            warn("A publishing commit timed out; it is tried again until Kafka says how it ended", e);
            throw e;
        } catch (RuntimeException e) {
            finished.notDone(chores);
            abort(current, e);
            throw e;
        }
        finished.done(chores);
        return List.of();
    }

    /** The tombstones of task ends remembered long enough, and the ends of tasks whose input was read again. */
    private void choresOf(KafkaProducer<String, String> current, FinishedTasks.Chores chores, Sends sends) {
        for (FinishedTasks.Finished end : chores.tombstones()) {
            sends.partitions.add(end.partition());
            sends.others.add(current.send(new ProducerRecord<>(settings.inFlightTopic(), end.partition(), end.key(), null)));
        }
        for (FinishedTasks.EndAgain end : chores.endsAgain()) {
            sends.partitions.add(end.partition());
            sends.others.add(current.send(ended(end.partition(), end.request().key(),
                    InFlightValue.endedRecord(end.request(), end.endedAt()))));
        }
    }

    /** An ended record, marked as this instance's own: its follower need not read what the commit remembers. */
    private ProducerRecord<String, String> ended(int partition, String key, String value) {
        ProducerRecord<String, String> record = new ProducerRecord<>(settings.inFlightTopic(), partition, key, value);
        record.headers().add(InFlightValue.ENDED_MARK);
        return record;
    }

    private void commitInDoubt() {
        FinishedTasks.Chores chores = inDoubtChores;
        inDoubtChores = null;
        try {
            producer.commitTransaction();
            inDoubt = null;
            tasks.finished().done(chores);
        } catch (TimeoutException e) {
            inDoubtChores = chores;
            throw e;
        } catch (RuntimeException e) {
            inDoubt = null;
            tasks.finished().notDone(chores);
            abort(producer, e);
            throw e;
        }
    }

    /** The events whose record Kafka refused as too large; throws any other failure of a record, or a timeout. */
    private static List<TerminalEvent> refused(Sends sends) {
        return TransactionalProducers.refusedAsTooLarge(sends.results, sends.others).stream()
                .map(sends.events::get).toList();
    }

    /** Aborts the open transaction; a producer that cannot abort, or was fenced, is replaced by a new one. */
    private void abort(KafkaProducer<String, String> current, RuntimeException cause) {
        String reason = TransactionalProducers.reasonOf(cause);
        meters.abortedTransaction(reason);
        if (TransactionalProducers.fenced(cause)) {
            if (!fencedLogged) {
                fencedLogged = true;
                LOG.error("Another producer took this instance's transactional id {}: this batch is aborted, and a new"
                        + " producer takes the id back; two instances must not share taskpoller.instance-id (logged once)",
                        settings.transactionalId());
            }
            replace(current);
            return;
        }
        if ("fenced_membership".equals(reason)) {
            warn("This instance's in-flight partitions moved on: its publishing transaction is aborted, and what it"
                    + " no longer owns is left to the new owner", cause);
        } else {
            warn("A publishing transaction failed (" + reason + "); it is aborted and tried again", cause);
        }
        if (!TransactionalProducers.abortTransaction(current, cause)) {
            replace(current);
        }
    }

    private String topicOf(TerminalEvent event) {
        return "completed".equals(event.outcome()) ? settings.completedTopic() : settings.failedTopic();
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            // a whole batch in few requests
            producer = TransactionalProducers.start(settings.brokers(), settings.transactionalId(), "taskpoller-publisher",
                    settings.transactionTimeout(), settings.maxRequestBytes(), 256 * 1024);
        }
        return producer;
    }

    private void replace(KafkaProducer<String, String> current) {
        if (current != null) {
            current.close(Duration.ZERO);
        }
        if (producer == current) {
            producer = null;
        }
        if (inDoubtChores != null) {
            tasks.finished().notDone(inDoubtChores);
            inDoubtChores = null;
        }
        inDoubt = null;
    }

    /** How many publishing transactions failed in a row (for health), 0 once one commits. */
    public int failuresInARow() {
        return failuresInARow;
    }

    /** The last failure of a publishing transaction while they fail, else null. */
    public String lastFailure() {
        return lastFailure;
    }

    /** How long publishing transactions have failed without one committing since (zero while they commit). */
    public Duration failingFor() {
        return failuresInARow == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - failingSinceNanos);
    }

    private void succeeded() {
        failuresInARow = 0;
        lastFailure = null;
    }

    private void failed(RuntimeException e, long startedNanos) {
        if (failuresInARow == 0) {
            failingSinceNanos = startedNanos;
        }
        failuresInARow++;
        lastFailure = e.getClass().getSimpleName() + ": " + Excerpt.forLog(e.getMessage());
    }

    private void warn(String message, Exception e) {
        long now = System.currentTimeMillis();
        if (now - lastWarning >= WARNING_EVERY_MILLIS) {
            lastWarning = now;
            LOG.warn("{}; logged at most once a minute: {}", message, Excerpt.forLog(e.toString()));
        } else {
            LOG.debug(message, e);
        }
    }

    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
