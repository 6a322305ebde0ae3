package dev.taskpoller.engine;

import dev.taskpoller.kafka.PollOffsets;
import dev.taskpoller.kafka.TransactionalProducers;
import dev.taskpoller.observe.TaskpollerMeters;
import dev.taskpoller.provider.Json;
import dev.taskpoller.text.Excerpt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the in-flight records of one poll of the requests topic and the poll's offsets in one Kafka transaction
 * (routes/ingest.yaml, {@code sendOffsetsToTransaction}): a request is acknowledged exactly when its task is
 * accepted, so a crash never reads an accepted request again. The offsets carry the consumer's group membership: an
 * instance whose partitions of the requests topic moved on (a zombie) cannot commit, the group coordinator refuses
 * it, and the tasks of its transaction were never accepted; the new owner reads their requests.
 *
 * <p>A request rejected on reading is written before, on its own (direct:taskpoller-reject): read again after a
 * crash, it is rejected again. A record the broker refuses as too large (its limit lower than taskpoller's) aborts
 * the transaction; the next one has that task's rejection in its place, with the rest of the poll. Any other failure
 * aborts it, gives the poll's claims back and fails the poll, which is read again from its committed offsets.
 */
public class IntakeTransactions {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeTransactions.class);

    /** Where and how: the topics, the transactional id of this instance's intake, its timeout, the largest record. */
    public record Settings(String brokers, String inFlightTopic, String rejectedTopic, String transactionalId,
                           Duration transactionTimeout, int maxRequestBytes) {
    }

    private final Settings settings;
    private final InFlightTasks tasks;
    private final TaskpollerMeters meters;
    private KafkaProducer<String, String> producer;
    private boolean fencedLogged;

    public IntakeTransactions(Settings settings, InFlightTasks tasks, TaskpollerMeters meters) {
        this.settings = settings;
        this.tasks = tasks;
        this.meters = meters;
    }

    /**
     * Creates the producer as the context starts: its initialisation aborts what a killed incarnation with this
     * transactional id left open, which would otherwise hold the in-flight follower and the poll's committed offsets
     * until the transaction timeout.
     */
    public synchronized void open() {
        try {
            producer();
        } catch (RuntimeException e) {
            LOG.warn("The intake producer could not start yet ({}); the first poll of the requests topic tries again",
                    Excerpt.forLog(e.getMessage()));
        }
    }

    /**
     * The poll's staged tasks and its offsets, committed together. Returns the rejections committed in place of the
     * tasks whose records the broker refused as too large (to be recorded as such: counted, to the outbox).
     */
    public synchronized List<Rejection> commit(@ExchangeProperty(InFlightWrites.PROPERTY) InFlightWrites slice,
                                               @ExchangeProperty(PollOffsets.PROPERTY) List<Exchange> records) {
        PollOffsets poll = PollOffsets.of(records);
        List<InFlightWrites.Write> writes = new ArrayList<>(slice.all());
        List<Rejection> rejections = new ArrayList<>();
        try {
            List<InFlightWrites.Write> tooLarge;
            while (!(tooLarge = transaction(writes, rejections, poll)).isEmpty()) {
                writes.removeAll(tooLarge);
                for (InFlightWrites.Write write : tooLarge) {
                    tasks.unclaim(write.request());
                    rejections.add(Rejection.cannotBeRecorded(write.request(),
                            new RecordTooLargeException("its in-flight record was refused by Kafka as too large")));
                }
            }
            return List.copyOf(rejections);
        } catch (RuntimeException e) {
            // not accepted: the same requests read again are claimed again
            writes.forEach(write -> tasks.unclaim(write.request()));
            throw e;
        }
    }

    /** One transaction; returns the writes the broker refused as too large (then it was aborted), else none. */
    private List<InFlightWrites.Write> transaction(List<InFlightWrites.Write> writes, List<Rejection> rejections,
                                                   PollOffsets poll) {
        KafkaProducer<String, String> current = producer();
        try {
            current.beginTransaction();
            List<Future<RecordMetadata>> results = new ArrayList<>();
            for (InFlightWrites.Write write : writes) {
                results.add(current.send(new ProducerRecord<>(settings.inFlightTopic(), write.request().key(),
                        write.record().getIn().getBody(String.class))));
            }
            List<Future<RecordMetadata>> others = new ArrayList<>();
            for (Rejection rejection : rejections) {
                others.add(current.send(new ProducerRecord<>(settings.rejectedTopic(), Json.write(rejection))));
            }
            // while the records are on their way: the offsets' round trips overlap theirs
            if (!poll.isEmpty()) {
                current.sendOffsetsToTransaction(poll.offsets(), poll.membership());
            }
            List<InFlightWrites.Write> tooLarge = TransactionalProducers.refusedAsTooLarge(results, others).stream()
                    .map(writes::get).toList();
            if (!tooLarge.isEmpty()) {
                current.abortTransaction();
                meters.abortedIntake("record_too_large");
                return tooLarge;
            }
            current.commitTransaction();
            return List.of();
        } catch (RuntimeException e) {
            abort(current, e);
            throw e;
        }
    }

    /**
     * Aborts the open transaction. A producer that cannot abort, was fenced, or whose commit timed out (then nothing
     * else may be tried on it) is replaced: the new one's initialisation completes or aborts what it left.
     */
    private void abort(KafkaProducer<String, String> current, RuntimeException cause) {
        String reason = TransactionalProducers.reasonOf(cause);
        meters.abortedIntake(reason);
        if (TransactionalProducers.fenced(cause) && !fencedLogged) {
            fencedLogged = true;
            LOG.error("Another producer took this instance's intake transactional id {}: the poll is read again, and a"
                    + " new producer takes the id back; two instances must not share taskpoller.instance-id (logged once)",
                    settings.transactionalId());
        }
        // after a commit that timed out nothing else may be tried on the producer
        if (cause instanceof TimeoutException || !TransactionalProducers.abortTransaction(current, cause)) {
            replace(current);
        }
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            // as the inbox's in-flight writes (submit.yaml): the least max.message.bytes the README asks of the topic
            producer = TransactionalProducers.start(settings.brokers(), settings.transactionalId(), "taskpoller-intake",
                    settings.transactionTimeout(), settings.maxRequestBytes(), 64 * 1024);
        }
        return producer;
    }

    /**
     * A new producer at once: its initialisation ends what the old one left open, which the poll read again would
     * otherwise wait for (its committed offsets are not stable until then) up to the transaction timeout.
     */
    private void replace(KafkaProducer<String, String> current) {
        current.close(Duration.ZERO);
        if (producer == current) {
            producer = null;
        }
        open();
    }

    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
