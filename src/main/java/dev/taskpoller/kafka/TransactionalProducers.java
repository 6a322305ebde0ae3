package dev.taskpoller.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What taskpoller's two kinds of Kafka transaction (publishing: events and task ends; intake: the requests topic's
 * accepted tasks and offsets) share: how their producers are set up, how a record of one is awaited, and how a
 * failure of one is told apart.
 */
public final class TransactionalProducers {

    /** How long a record of a transaction may take to be acknowledged (the producer's delivery.timeout.ms). */
    public static final int DELIVERY_TIMEOUT_MS = 20_000;

    private TransactionalProducers() {
    }

    /**
     * A producer of this transactional id, its transactions initialised: what an earlier incarnation left open is
     * aborted. {@code batchBytes}: its batch.size; a topic whose max.message.bytes is below it makes Kafka's producer
     * split a refused batch again and again, never refusing the one record that is too large.
     */
    public static KafkaProducer<String, String> start(String brokers, String transactionalId, String clientId,
                                                      Duration transactionTimeout, int maxRequestBytes, int batchBytes) {
        KafkaProducer<String, String> created = new KafkaProducer<>(
                properties(brokers, transactionalId, clientId, transactionTimeout, maxRequestBytes, batchBytes),
                new StringSerializer(), new StringSerializer());
        try {
            created.initTransactions();
        } catch (RuntimeException e) {
            created.close(Duration.ZERO);
            throw e;
        }
        return created;
    }

    private static Properties properties(String brokers, String transactionalId, String clientId,
                                         Duration transactionTimeout, int maxRequestBytes, int batchBytes) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) transactionTimeout.toMillis());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequestBytes);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, batchBytes);
        // a transaction begun while the coordinator still writes the last one's markers is refused with
        // CONCURRENT_TRANSACTIONS and tried again after this: Kafka's 100 ms default would cap the batches at a few a second
        props.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 5);
        // a broker that is down fails a transaction within this, and the route tries it again, not after Kafka's 2 min
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DELIVERY_TIMEOUT_MS);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        return props;
    }

    /**
     * How a record's send failed, null when it was acknowledged; throws when it is not acknowledged by the deadline
     * (not {@code flush()}: while the transaction coordinator cannot be reached a transactional producer's records
     * never expire, and a flush would wait for ever).
     */
    private static Throwable failureOf(Future<RecordMetadata> result, long deadlineNanos) {
        try {
            result.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException("a transaction's records were not acknowledged within " + DELIVERY_TIMEOUT_MS + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }

    /**
     * Awaits every record of a transaction, for at most the producer's delivery timeout. Returns the positions in
     * {@code mayBeTooLarge} of the records Kafka refused as too large; throws the first other failure of any record,
     * or a timeout.
     */
    public static List<Integer> refusedAsTooLarge(List<Future<RecordMetadata>> mayBeTooLarge,
                                                  List<Future<RecordMetadata>> others) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DELIVERY_TIMEOUT_MS);
        List<Integer> refused = new ArrayList<>();
        for (int i = 0; i < mayBeTooLarge.size(); i++) {
            Throwable failure = failureOf(mayBeTooLarge.get(i), deadline);
            if (failure instanceof RecordTooLargeException) {
                refused.add(i);
            } else if (failure != null) {
                throw failure instanceof KafkaException kafka ? kafka : new KafkaException(failure);
            }
        }
        for (Future<RecordMetadata> other : others) {
            Throwable failure = failureOf(other, deadline);
            if (failure != null) {
                throw failure instanceof KafkaException kafka ? kafka : new KafkaException(failure);
            }
        }
        return refused;
    }

    /**
     * Aborts the producer's open transaction after this failure. False when it cannot be (fenced, a fatal failure,
     * or the abort itself failed): then the producer must be replaced.
     */
    public static boolean abortTransaction(KafkaProducer<?, ?> producer, RuntimeException cause) {
        if (fenced(cause) || fatal(cause)) {
            return false;
        }
        try {
            producer.abortTransaction();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Why a transaction failed, as the metrics name it: fenced_membership, fenced_producer, timeout, error. */
    public static String reasonOf(RuntimeException e) {
        if (e instanceof CommitFailedException || e instanceof FencedInstanceIdException
                || e instanceof IllegalGenerationException || e instanceof UnknownMemberIdException) {
            return "fenced_membership";
        }
        if (fenced(e)) {
            return "fenced_producer";
        }
        if (e instanceof TimeoutException) {
            return "timeout";
        }
        return "error";
    }

    /** Another producer took the transactional id: this one can do nothing more. */
    public static boolean fenced(RuntimeException e) {
        return e instanceof ProducerFencedException || e instanceof InvalidProducerEpochException;
    }

    /** A failure after which the producer cannot even abort: it is replaced. */
    public static boolean fatal(RuntimeException e) {
        return e instanceof OutOfOrderSequenceException || e instanceof AuthorizationException
                || e instanceof UnsupportedVersionException || e instanceof IllegalStateException;
    }
}
