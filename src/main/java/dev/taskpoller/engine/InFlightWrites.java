package dev.taskpoller.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The in-flight writes of one slice of input (lines of a file, one poll of the requests topic), sent without
 * waiting for each and awaited together before the input is acknowledged: Kafka batches them, and the input is
 * marked done only once all of them are durable. Shared by the split's sub-exchanges through an exchange property.
 */
public final class InFlightWrites {

    /** The exchange property that holds the writes of the slice being read. */
    public static final String PROPERTY = "taskpollerInFlightWrites";

    record Write(TaskRequest request, Future<RecordMetadata> ack) {
    }

    private final List<Write> writes = new ArrayList<>();

    synchronized void add(TaskRequest request, Future<RecordMetadata> ack) {
        writes.add(new Write(request, ack));
    }

    synchronized List<Write> taken() {
        List<Write> all = List.copyOf(writes);
        writes.clear();
        return all;
    }
}
